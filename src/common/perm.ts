/** Topic/broker permission bits (semantics.md §1). */
export const PERM_PRIORITY = 8;
export const PERM_READ = 4;
export const PERM_WRITE = 2;
export const PERM_INHERIT = 1;

export function isReadable(perm: number): boolean {
  return (perm & PERM_READ) === PERM_READ;
}
export function isWriteable(perm: number): boolean {
  return (perm & PERM_WRITE) === PERM_WRITE;
}
export function isInherited(perm: number): boolean {
  return (perm & PERM_INHERIT) === PERM_INHERIT;
}
export function isValidPerm(perm: number): boolean {
  return Number.isInteger(perm) && perm >= 0 && perm < PERM_PRIORITY;
}
export function perm2String(perm: number): string {
  return (isReadable(perm) ? 'R' : '-') + (isWriteable(perm) ? 'W' : '-') + (isInherited(perm) ? 'X' : '-');
}
