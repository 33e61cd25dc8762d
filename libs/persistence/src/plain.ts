/**
 * Turns a lean mongoose result into the plain object a repository returns: drops `_id` and `__v` so callers never
 * depend on storage details. Repositories return these objects, never mongoose documents.
 */
export function toPlain<T extends object>(lean: (T & { _id?: unknown; __v?: unknown }) | null): T | null {
  if (!lean) return null;
  const { _id, __v, ...rest } = lean;
  return rest as T;
}
