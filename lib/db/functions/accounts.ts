// Profiles, local sign-in and the health check (service_role only).
import { z } from "zod";
import { id, profile } from "@/lib/contracts/entities";
import { role, tier } from "@/lib/contracts/enums";
import { fn } from "./contract";

export const accountFunctions = {
  db_health: fn(z.object({}), z.object({ ok: z.boolean(), migrationVersion: z.string().nullable() })),
  get_profile: fn(z.object({ p_user_id: id }), profile.nullable()),
  sync_profile: fn(z.object({ p_user_id: id, p_email: z.string(), p_promote_admin: z.boolean().optional() }), profile),
  sign_in_local_user: fn(
    z.object({ p_email: z.string(), p_promote_admin: z.boolean().optional() }),
    z.object({ userId: id, email: z.string(), role, tier }),
  ),
};
