/** Date-times for the table as local "YYYY-MM-DD HH:mm" (unambiguous in both languages). Pure. */
const pad = (n: number) => String(n).padStart(2, '0');

export function formatDateTime(iso: string | null, seconds = false): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${seconds ? `${hm}:${pad(d.getSeconds())}` : hm}`;
}
