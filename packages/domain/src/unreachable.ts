/** Marks a branch the type system proves impossible; a missed union member is a compile error at the call. */
export function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
