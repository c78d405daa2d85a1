// Incremental lesson extraction: fed the growing text of a streamed answer, returns each lesson
// object of the `lessons` array the moment its closing brace arrives. Works the same on a whole
// (possibly truncated or fenced) answer, so complete lessons before a cut are never lost.

export class LessonStreamScanner {
  private pos = 0;
  private readonly stack: string[] = [];
  private inString = false;
  private escape = false;
  private stringStart = -1;
  private lastKeyAtTop: string | null = null;
  /** Stack depth of the lessons array once found (its own '[' included). */
  private arrayDepth = -1;
  private objectStart = -1;
  private done = false;

  /** Feeds the accumulated text (must extend what was fed before); returns newly completed lessons. */
  push(text: string): unknown[] {
    const out: unknown[] = [];
    for (; this.pos < text.length && !this.done; this.pos++) {
      const ch = text[this.pos];
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (ch === "\\") this.escape = true;
        else if (ch === '"') {
          this.inString = false;
          if (this.stack.length === 1 && this.stack[0] === "{") {
            this.lastKeyAtTop = safeString(text.slice(this.stringStart, this.pos + 1));
          }
        }
        continue;
      }
      if (this.stack.length === 0 && ch !== "{" && ch !== "[") continue; // prose or a code fence before the JSON
      switch (ch) {
        case '"':
          this.inString = true;
          this.stringStart = this.pos;
          break;
        case "{":
          if (this.arrayDepth !== -1 && this.stack.length === this.arrayDepth) this.objectStart = this.pos;
          this.stack.push("{");
          break;
        case "[":
          this.stack.push("[");
          if (this.arrayDepth === -1) {
            const bare = this.stack.length === 1;
            const keyed = this.stack.length === 2 && this.stack[0] === "{" && this.lastKeyAtTop === "lessons";
            if (bare || keyed) this.arrayDepth = this.stack.length;
          }
          break;
        case "}":
        case "]":
          this.stack.pop();
          if (ch === "}" && this.objectStart !== -1 && this.stack.length === this.arrayDepth) {
            const raw = text.slice(this.objectStart, this.pos + 1);
            this.objectStart = -1;
            try {
              out.push(JSON.parse(raw));
            } catch {
              // Not valid JSON: skipped here; the whole answer's parse reports the problem.
            }
          }
          if (this.stack.length === 0) this.done = true;
          break;
        case ":":
          break;
      }
    }
    return out;
  }

  /** True once a `lessons` array (or a bare array) was seen. */
  foundArray(): boolean {
    return this.arrayDepth !== -1;
  }
}

function safeString(literal: string): string | null {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return null;
  }
}
