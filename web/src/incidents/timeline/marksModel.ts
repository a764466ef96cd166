/** In and out marks on the shared timeline: the range clips are cut for. */
export interface Marks {
  in: number | null;
  out: number | null;
}

export const NO_MARKS: Marks = { in: null, out: null };

/** Marks in at `at`; an out at or before it is dropped. */
export const markIn = (m: Marks, at: number): Marks => ({ in: at, out: m.out !== null && m.out > at ? m.out : null });

/** Marks out at `at`; an in at or after it is dropped. */
export const markOut = (m: Marks, at: number): Marks => ({ in: m.in !== null && m.in < at ? m.in : null, out: at });

/** The marked range, when both ends are set. */
export const markedRange = (m: Marks) => (m.in !== null && m.out !== null ? { start: m.in, end: m.out } : null);

/** The clip request for the range: one job per camera, the same window. */
export const cutRequest = (cameraIds: string[], r: { start: number; end: number }) => ({ cameraIds, from: new Date(r.start).toISOString(), to: new Date(r.end).toISOString() });

/** Inputs a key press does not type into: I and O still mark there (a camera's checkbox just ticked). */
const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset']);

/** Whether a key press marks in ('i') or out ('o'): none with a modifier or while typing in a field. */
export function markKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; target: { tagName?: string; type?: string; isContentEditable?: boolean } | null }): 'in' | 'out' | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const tag = e.target?.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || e.target?.isContentEditable) return null;
  if (tag === 'INPUT' && !NOT_TYPED.has(e.target?.type ?? 'text')) return null;
  const k = e.key.toLowerCase();
  return k === 'i' ? 'in' : k === 'o' ? 'out' : null;
}
