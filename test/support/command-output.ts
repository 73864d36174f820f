/** An `io` for a command run in a test, and what the command said through it. */
export function captured() {
  const said = { out: '', err: '' };
  return { said, io: { out: (text: string) => void (said.out += text), err: (text: string) => void (said.err += text) } };
}
