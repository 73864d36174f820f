/** An `io` for a command run in a test, and what the command did through it. */
export function captured() {
  const said = { out: '', err: '', contentChanges: 0 };
  return {
    said,
    io: {
      out: (text: string) => void (said.out += text),
      err: (text: string) => void (said.err += text),
      contentChanged: async () => void said.contentChanges++,
    },
  };
}
