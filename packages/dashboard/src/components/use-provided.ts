import { useContext, type Context } from 'react';

/** The value of `context`'s provider, which every page is under: none is a programming error, named by `what`. */
export function useProvided<T>(context: Context<T | null>, what: string): T {
  const value = useContext(context);
  if (!value) throw new Error(what);
  return value;
}
