// Where to send someone after sign-in: only a path on our own origin. The target is resolved the way a
// browser would (`new URL(next, origin)`) and its origin compared, so `//host`, `/\host`, `/\t/host`
// (browsers strip tabs and newlines) and `https://host` are all refused. Used by the sign-in route and
// the login page; no server-only imports, so both can use it.
const CONTROL_OR_INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
// Any origin works as the base: only whether the target leaves it matters.
const DEFAULT_ORIGIN = "https://lessonloom.invalid";

/** A same-origin path (with query and hash) for `next`, or "/" when it is missing or points elsewhere. */
export function safeNextPath(next: string | null | undefined, origin: string = DEFAULT_ORIGIN): string {
  if (!next || next.length > 512 || !next.startsWith("/") || CONTROL_OR_INVISIBLE.test(next) || next.includes("\\")) return "/";
  let base: URL;
  let target: URL;
  try {
    base = new URL(origin);
    target = new URL(next, base);
  } catch {
    return "/";
  }
  if (target.origin !== base.origin) return "/";
  const path = `${target.pathname}${target.search}${target.hash}`;
  // A path that still starts with "//" would be protocol-relative once written into Location.
  return path.startsWith("//") ? "/" : path;
}
