/** hoop's IsRunbookFile: the last path segment contains ".runbook.". Apart from the template engine, so the CodeLens can use it at activation. */
export function isRunbookFile(path: string): boolean {
  const segments = path.split('/');
  return segments[segments.length - 1].includes('.runbook.');
}
