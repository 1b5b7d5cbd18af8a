// Terminal output for the demo: prefixed log lines from several processes plus one status line (a progress bar)
// that stays at the bottom, rewritten in place.

const useColor = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const wrap = (code: number) => (text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);

export const color = {
  dim: wrap(2),
  bold: wrap(1),
  red: wrap(31),
  green: wrap(32),
  yellow: wrap(33),
  blue: wrap(34),
  magenta: wrap(35),
  cyan: wrap(36),
  gray: wrap(90),
};

export class Terminal {
  private status: string | null = null;
  private lastPlainStatus = 0;
  readonly tty = Boolean(process.stdout.isTTY);

  log(line: string): void {
    if (this.tty && this.status !== null) {
      process.stdout.write(`\r\x1b[2K${line}\n${this.fit(this.status)}`);
    } else {
      process.stdout.write(`${line}\n`);
    }
  }

  /** Shows (or replaces) the status line. Without a TTY it is printed at most every few seconds. */
  setStatus(text: string, force = false): void {
    this.status = text;
    if (this.tty) {
      process.stdout.write(`\r\x1b[2K${this.fit(text)}`);
    } else if (force || Date.now() - this.lastPlainStatus > 3_000) {
      this.lastPlainStatus = Date.now();
      process.stdout.write(`${text}\n`);
    }
  }

  /** Ends the status line, leaving `finalText` (or the last status) on screen. */
  endStatus(finalText?: string): void {
    const text = finalText ?? this.status;
    this.status = null;
    if (this.tty) process.stdout.write(`\r\x1b[2K${text ?? ""}\n`);
    else if (text) process.stdout.write(`${text}\n`);
  }

  private fit(text: string): string {
    const columns = process.stdout.columns ?? 120;
    // Leave ANSI sequences alone; only cut plain status text that would wrap.
    return text.includes("\x1b[") || text.length < columns ? text : `${text.slice(0, columns - 1)}…`;
  }
}

export function progressBar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(ratio * width);
  return `${"█".repeat(filled)}${color.gray("░".repeat(width - filled))} ${String(Math.floor(ratio * 100)).padStart(3)}%`;
}

/** Pino's JSON lines made readable: "INFO  worker started {…}". Other lines pass through unchanged. */
export function formatLogLine(line: string): { text: string; level: number | null } {
  if (!line.startsWith("{")) return { text: line, level: null };
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    const level = typeof entry.level === "number" ? entry.level : null;
    if (level === null || typeof entry.msg !== "string") return { text: line, level };
    const { level: _l, time: _t, pid: _p, hostname: _h, service: _s, msg, ...rest } = entry;
    const name = level >= 50 ? color.red("ERROR") : level >= 40 ? color.yellow("WARN ") : level >= 30 ? color.blue("INFO ") : color.gray("DEBUG");
    const extra = Object.keys(rest).length ? ` ${color.gray(JSON.stringify(rest))}` : "";
    return { text: `${name} ${msg}${extra}`, level };
  } catch {
    return { text: line, level: null };
  }
}
