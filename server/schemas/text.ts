/**
 * Shared zod helpers for free text from clients (names, addresses, user names, search, tags).
 * Control characters (C0 including NUL, DEL, C1) are refused at validation, so they never reach
 * the database (PostgreSQL refuses NUL in text) or logs, and the 400 names the field.
 */
import { z } from './openapi';

/** C0 controls (NUL, tab, CR, LF, ESC ...), DEL and C1 controls. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/;
export const NO_CONTROL_MESSAGE = 'must not contain control characters (NUL, tab, line breaks, ...)';

/** A string without control characters; chain .trim()/.min()/.max() after it (checked before trimming). */
export const plainString = () => z.string().refine((v) => !CONTROL_CHARS.test(v), NO_CONTROL_MESSAGE);
