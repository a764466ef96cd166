/** All drizzle table definitions; each file mirrors tables created by server/db/migrations. */
export * from './org';
export * from './users';
export * from './cameras';
export * from './audit';
export * from './leases';
export * from './discovery';
export * from './live';
