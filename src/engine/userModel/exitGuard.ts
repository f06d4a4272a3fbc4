/**
 * In a thread that runs the user's code: process.exit reports which call made it (through `report`) before it ends
 * the thread. Returns `enter(call)`, to say which call of the user's runs now (undefined: tra's own code).
 */
export function interceptExit(report: (code: unknown, call: string) => void): (call: string | undefined) => void {
  let current: string | undefined;
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    if (current !== undefined) report(code, current);
    return exit(code ?? undefined);
  }) as typeof process.exit;
  return (call) => {
    current = call;
  };
}
