/** Request/response schemas of /api/v1/auth and /api/v1/users (validation and OpenAPI from one source). */
import { ROLES } from '@common/domain';
import { z } from '@server/schemas/openapi';
import { plainString } from '@server/schemas/text';

export const LoginSchema = z
  .object({
    username: plainString().trim().min(1, 'required').max(64),
    password: z.string().min(1, 'required').max(256),
  })
  .strict()
  .openapi('LoginInput');

export const UserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean().optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
    version: z.number().int().optional(),
  })
  .openapi('User');

export const LoginResultSchema = z
  .object({ token: z.string(), csrfToken: z.string(), expiresAt: z.string(), user: UserSchema })
  .openapi('LoginResult');

export const PasswordChangeSchema = z
  .object({ currentPassword: z.string().min(1, 'required').max(256), newPassword: z.string().max(256) })
  .strict()
  .openapi('PasswordChange');

const username = plainString()
  .trim()
  .min(2, 'at least 2 characters')
  .max(64)
  .regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits and _ . @ - only');

export const UserInputSchema = z
  .object({
    username,
    password: z.string().max(256),
    role: z.enum(ROLES),
    displayName: plainString().trim().max(100).default(''),
  })
  .strict()
  .openapi('UserInput');

export const UserPatchSchema = z
  .object({
    displayName: plainString().trim().max(100).optional(),
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
    password: z.string().max(256).optional(),
    version: z.number().int().min(1).optional(),
  })
  .strict()
  .openapi('UserPatch');

/** A user as administrators see it (GET/POST/PATCH /api/v1/users). */
export const ManagedUserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().int(),
    stationId: z.string().nullable().describe("The user's station (PUT /api/v1/users/{id}/station); null: county level"),
  })
  .openapi('ManagedUser');

export const UserListSchema = z.object({ items: z.array(ManagedUserSchema) }).openapi('UserList');
