// supabase-js builds a Realtime client eagerly and, on Node 20 (no global WebSocket), throws in
// createClient unless given a transport. Lessonloom never uses Realtime on the server, so it gets a
// transport that refuses to connect instead of a WebSocket dependency.
export class NoRealtimeTransport {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  constructor() {
    throw new Error("Supabase Realtime is not used on the Lessonloom server");
  }
}

/** Options fragment for createClient/createServerClient on the server. */
export const serverRealtimeOptions = {
  realtime: { transport: NoRealtimeTransport as unknown as typeof WebSocket },
};
