/** Date-times for the table as local "YYYY-MM-DD HH:mm" (unambiguous in both languages). Pure. */
const pad = (n: number) => String(n).padStart(2, '0');

export function formatDateTime(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
