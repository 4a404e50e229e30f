// Values shared by every reader (the store's kept reads, a plan made ahead) are frozen all
// the way down, so that nobody can change them for the others.

/** Freezes a JSON-like value all the way down and returns it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
