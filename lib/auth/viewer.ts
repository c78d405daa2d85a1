// Who is calling: the one shape both auth modes produce.
import type { Profile } from "@/lib/contracts/entities";
import type { Role, Tier } from "@/lib/contracts/enums";

export type { Tier } from "@/lib/contracts/enums";

export interface Viewer {
  userId: string;
  email: string;
  displayName: string | null;
  role: Role;
  tier: Tier;
  isAdmin: boolean;
}

/** `get_profile` / `sync_profile` jsonb → Viewer. */
export type ProfileJson = Profile;

export function viewerFromProfile(p: ProfileJson): Viewer {
  return {
    userId: p.id,
    email: p.email,
    displayName: p.displayName,
    role: p.role,
    tier: p.tier,
    isAdmin: p.role === "admin",
  };
}

/** The `user` object the API returns (docs/api.md). */
export function userJson(v: Viewer) {
  return { id: v.userId, email: v.email, displayName: v.displayName, tier: v.tier, role: v.role, isAdmin: v.isAdmin };
}
