import { z } from 'zod';
import { roleSchema } from '../../domain/records';
import { ALL_ROLES, type RouteSpec } from '../route-spec';

const whoAmISchema = z.object({
  id: z.string(),
  role: roleSchema,
  /** The unit a unit's token acts for, or the county a county official's token acts for. */
  unit: z.string().nullable(),
  via: z.enum(['apiKey', 'jwt']),
});

/** Who the presented token is: the console's sign-in shows it, and picks the pages the role may use. */
export function sessionRoutes(): RouteSpec[] {
  return [
    {
      method: 'get',
      path: '/me',
      summary: 'Who the token names: id, role and unit (or county) — what the API will act as for this caller',
      roles: ALL_ROLES,
      success: { status: 200, description: 'The caller', schema: whoAmISchema },
      problems: {},
      handler: async ({ principal }) => ({ id: principal.id, role: principal.role, unit: principal.unit ?? null, via: principal.via }) satisfies z.infer<typeof whoAmISchema>,
    },
  ];
}
