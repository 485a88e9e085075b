import type { Dialect, Driver } from 'kysely';

/** `dialect` with another driver: how an engine adjusts transactions, or wraps what the driver does. */
export function withDriver(dialect: Dialect, createDriver: () => Driver): Dialect {
  return {
    createDriver,
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}
