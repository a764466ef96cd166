/** Parse request parts with a zod schema; failures become 400 problem+json naming the fields. */
import type { Request } from 'express';
import type { ZodType, z } from 'zod';
import { validationError } from '@server/http/problem';

export function parseBody<S extends ZodType>(schema: S, req: Request): z.output<S> {
  const r = schema.safeParse(req.body ?? {});
  if (!r.success) throw validationError(r.error, 'body');
  return r.data;
}

export function parseQuery<S extends ZodType>(schema: S, req: Request): z.output<S> {
  const r = schema.safeParse(req.query ?? {});
  if (!r.success) throw validationError(r.error, 'query');
  return r.data;
}

export function parseParams<S extends ZodType>(schema: S, req: Request): z.output<S> {
  const r = schema.safeParse(req.params ?? {});
  if (!r.success) throw validationError(r.error, 'path');
  return r.data;
}
