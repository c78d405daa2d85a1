// Auth: who is calling (Supabase Auth or local sessions), as one Viewer.
export { getViewer, getViewerFromCookies } from "./get-viewer";
export { sessionCookieFor, sessionCookieName } from "./local-session";
export { userJson, viewerFromProfile, type Viewer, type Tier } from "./viewer";
