const mask = '••••••';

/**
 * Hides secret values (and their base64 forms, which runbooks often print) in text shown
 * to the user: a runbook's output can echo a password.
 */
export function redactSecrets(text: string, secretValues: Iterable<string>): string {
  const needles = new Set<string>();
  for (const value of secretValues) {
    if (value) {
      needles.add(value);
      needles.add(Buffer.from(value, 'utf8').toString('base64'));
    }
  }
  let redacted = text;
  for (const needle of [...needles].sort((a, b) => b.length - a.length)) {
    redacted = redacted.split(needle).join(mask);
  }
  return redacted;
}
