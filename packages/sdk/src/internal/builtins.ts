/**
 * A Node built-in through `process.getBuiltinModule`, so the SDK imports
 * nothing statically and loads in runtimes without it (then: undefined).
 */
export function builtin<T>(id: string): T | undefined {
  try {
    return (process as unknown as { getBuiltinModule?(id: string): unknown }).getBuiltinModule?.(id) as T | undefined;
  } catch {
    return undefined;
  }
}
