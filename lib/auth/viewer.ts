// Who is calling: the one shape both auth modes produce.
export type Tier = "free" | "pro" | "admin";

export interface Viewer {
  userId: string;
  email: string;
  displayName: string | null;
  role: "learner" | "admin";
  tier: Tier;
  isAdmin: boolean;
}

/** `get_profile` / `sync_profile` jsonb → Viewer. */
export interface ProfileJson {
  id: string;
  email: string;
  displayName: string | null;
  tier: Tier;
  role: "learner" | "admin";
  isAdmin: boolean;
}

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
