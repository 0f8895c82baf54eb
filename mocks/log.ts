/**
 * Condenses Prism's log to one line per request (`GET /path -> 404`) plus each contract violation
 * under it, so the scenario list `npm run mock` printed stays readable. Prism logs a request's
 * lines in order but does not repeat the path on them; under concurrent requests the attribution
 * of a violation is best effort.
 */
export function prismLogFormatter(): (line: string) => string | undefined {
  let current = '';
  return (line) => {
    const request = /\[HTTP SERVER\] (\w+) (\S+)/.exec(line);
    if (request) {
      current = `${request[1]?.toUpperCase()} ${request[2]}`;
      return undefined;
    }
    const answered = /> Responding with "(\d+)"|The upstream call to \S+ has returned (\d+)/.exec(line);
    if (answered) return `${current} -> ${answered[1] ?? answered[2]}`;
    const violation = /(warning|error)\s+Violation: (.*)$/.exec(line);
    if (violation) return `  ${violation[1] === 'error' ? 'VIOLATION' : 'warning'} ${current}: ${violation[2]}`;
    if (/\b(fatal|error)\b/i.test(line)) return line;
    return undefined;
  };
}
