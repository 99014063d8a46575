import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { SecretMasker, redactSecrets, secretForms, secretMask, unmaskableSecrets } from '../../src/core/redact';
import { OutputView, describeBytes, slices } from '../../src/core/outputView';

const secrets = ['hunter2', 'correct horse battery', 'p+a/s=s?&x', 'пароль-ünï', 'key🔑emoji', 'quote"back\\slash', 'tab\there'];

/** The forms the issue names, computed here with the platform's own encoders rather than redact.ts. */
function namedForms(value: string): Record<string, string> {
  const bytes = Buffer.from(value, 'utf8');
  const withNewline = Buffer.from(`${value}\n`, 'utf8');
  const unpad = (text: string) => text.replace(/=+$/, '');
  const urlSafe = (text: string) => text.replace(/\+/g, '-').replace(/\//g, '_');
  return {
    raw: value,
    base64: bytes.toString('base64'),
    'base64 unpadded': unpad(bytes.toString('base64')),
    'base64 of value+newline': withNewline.toString('base64'),
    'base64 of value+newline unpadded': unpad(withNewline.toString('base64')),
    'URL-safe base64': urlSafe(bytes.toString('base64')),
    'URL-safe base64 unpadded': bytes.toString('base64url'),
    'URL-safe base64 of value+newline': urlSafe(withNewline.toString('base64')),
    encodeURIComponent: encodeURIComponent(value),
    'encodeURIComponent lower-case hex': encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    'form encoding': new URLSearchParams({ k: value }).toString().slice(2),
    'JSON-escaped': JSON.stringify(value).slice(1, -1),
    hex: bytes.toString('hex'),
    'hex upper-case': bytes.toString('hex').toUpperCase(),
  };
}

/** Every way `masker` can be fed `text` in chunks cut at `cuts`, concatenated. */
function streamed(masker: SecretMasker, text: string, cuts: number[]): string {
  const stream = masker.stream();
  const bounds = [0, ...cuts, text.length];
  let out = '';
  for (let index = 1; index < bounds.length; index++) {
    out += stream.push(text.slice(bounds[index - 1], bounds[index]));
  }
  return out + stream.flush();
}

/** The masking redact.ts must agree with, the slow way: every occurrence of every form, overlapping ones joined. */
function maskedByBruteForce(text: string, forms: string[]): string {
  const stretches: [number, number][] = [];
  for (let start = 0; start < text.length; start++) {
    for (const form of forms) {
      if (text.startsWith(form, start)) {
        stretches.push([start, start + form.length]);
      }
    }
  }
  let out = '';
  let maskEnd = 0;
  for (const [start, end] of stretches) {
    if (start < maskEnd) {
      maskEnd = Math.max(maskEnd, end);
    } else {
      out += text.slice(maskEnd, start) + secretMask;
      maskEnd = end;
    }
  }
  return out + text.slice(maskEnd);
}

function bash(script: string, secret: string): string {
  return execFileSync('bash', ['-c', script], { env: { ...process.env, S: secret, LC_ALL: 'C.UTF-8' }, encoding: 'utf8' });
}

describe('secret masking', () => {
  for (const secret of secrets) {
    it(`masks ${JSON.stringify(secret)} in every named form, keeping the text around it`, () => {
      const masker = new SecretMasker([secret]);
      for (const [name, form] of Object.entries(namedForms(secret))) {
        assert.equal(masker.mask(`before ${form} after`), `before ${secretMask} after`, name);
      }
    });
  }

  it('masks what bash, coreutils and Python print for each secret', () => {
    const script = [
      `printf 'raw:%s\\n' "$S"`,
      `printf 'printf-q:%q\\n' "$S"`,
      'printf "echo-base64:"; echo "$S" | base64',
      'printf "base64-n:"; printf %s "$S" | base64 -w0; echo',
      `printf "hex:"; printf %s "$S" | od -An -tx1 -v | tr -d ' \\n'; echo`,
      `python3 -c 'import json, os, urllib.parse as u; s = os.environ["S"]
print("json:" + json.dumps(s)); print("json-utf8:" + json.dumps(s, ensure_ascii=False))
print("quote:" + u.quote(s)); print("quote-plus:" + u.quote_plus(s)); print("quote-strict:" + u.quote(s, safe=""))'`,
    ].join('\n');
    for (const secret of secrets) {
      const lines = redactSecrets(bash(script, secret), [secret]).trimEnd().split('\n');
      for (const line of lines) {
        assert.match(line, /^[a-z0-9-]+:"?••••••"?$/, `${JSON.stringify(secret)}: ${line}`);
      }
      assert.equal(lines.length, 10);
    }
  });

  it('masks the forms other languages write: ASCII-only and HTML-safe JSON, escaped slashes, strict URL encoding', () => {
    const secret = 'é<&>/!x';
    const masker = new SecretMasker([secret]);
    for (const form of ['\\u00e9<&>/!x', '\\u00E9<&>/!x', 'é\\u003c\\u0026\\u003e/!x', 'é<&>\\/!x', '%C3%A9%3C%26%3E%2F%21x', '%C3%A9%3C%26%3E/%21x', 'c3a93c263e2f2178']) {
      assert.equal(masker.mask(`[${form}]`), `[${secretMask}]`, form);
    }
  });

  it('masks the lines `base64` wraps a long secret into', () => {
    const secret = 'a-long-secret-'.repeat(8);
    const output = bash('echo "$S" | base64; printf %s "$S" | openssl base64', secret);
    assert.equal(output.trimEnd().split('\n').length, 2 + 3, 'the encodings are wrapped');
    assert.equal(redactSecrets(output, [secret]), `${secretMask}\n${secretMask}\n`);
  });

  it('masks a secret encoded inside a longer base64 text, at each of the three byte alignments', () => {
    for (const prefix of ['abc', 'a', 'ab', 'user:']) {
      const secret = 'hunter2-pass';
      const encoded = Buffer.from(`${prefix}${secret}@host`).toString('base64');
      const masked = redactSecrets(`Authorization: Basic ${encoded}`, [secret]);
      assert.ok(masked.includes(secretMask), `${prefix}: ${masked}`);
      const visible = masked.replace('Authorization: Basic ', '').split(secretMask);
      // What is left is the prefix's and the suffix's own characters, plus at most one mixed character on each side.
      assert.ok(visible[0].length <= Math.ceil((prefix.length * 8) / 6) && visible[1].length <= 10, `${prefix}: ${masked}`);
    }
  });

  it('masks overlapping and adjacent secrets as one stretch each', () => {
    assert.equal(redactSecrets('xxabcdefghixx', ['abcdef', 'defghi']), `xx${secretMask}xx`);
    assert.equal(redactSecrets('s3cr3t!s3cr3t! done', ['s3cr3t!']), `${secretMask}${secretMask} done`);
    assert.equal(redactSecrets('aaaaaaa', ['aaa']), secretMask);
  });

  it('prefers the longest form: no padding or newline byte is left beside the mask', () => {
    assert.equal(redactSecrets('pw=hunter2 b64=aHVudGVyMg== echo=aHVudGVyMgo=', ['hunter2']), `pw=${secretMask} b64=${secretMask} echo=${secretMask}`);
  });

  it('does not mask one- and two-character secrets, and names them so the user can be warned', () => {
    assert.deepEqual(unmaskableSecrets(['a', 'ab', 'abc', '', 'ü', '🔑🔑', 'xyz']), ['a', 'ab', 'ü', '🔑🔑']);
    assert.equal(redactSecrets('about a cab: ab', ['ab', 'a']), 'about a cab: ab');
    assert.deepEqual(secretForms('ab'), []);
  });

  it('does not mask text that only shares part of a secret', () => {
    assert.equal(redactSecrets('abc ab bc abd hunter hunter3', ['abcd', 'hunter2']), 'abc ab bc abd hunter hunter3');
  });

  it('looks for a secret inside longer base64 only where six or more characters are its own', () => {
    // "xabcdy": the four bytes of "abcd" fix only four characters of its base64, which could be anything's.
    assert.equal(redactSecrets(Buffer.from('xabcdy').toString('base64'), ['abcd']), 'eGFiY2R5');
    assert.equal(redactSecrets(Buffer.from('xabcdefy').toString('base64'), ['abcdef']), `eG${secretMask}nk=`);
  });

  it('leaves text unchanged when there is no secret', () => {
    assert.equal(redactSecrets('nothing to hide', []), 'nothing to hide');
    assert.equal(new SecretMasker([]).stream().push('chunk'), 'chunk');
  });

  it('masked output never contains any form of a secret of three characters or more', () => {
    const secretArbitrary = fc.string({ unit: 'binary', minLength: 3, maxLength: 24 }).filter((value) => !value.includes('•'));
    fc.assert(
      fc.property(fc.array(secretArbitrary, { minLength: 1, maxLength: 3 }), fc.array(fc.tuple(fc.string(), fc.nat(), fc.nat()), { maxLength: 8 }), (values, pieces) => {
        const forms = values.flatMap((value) => [...Object.values(namedForms(value)), ...secretForms(value)]);
        const text = pieces.map(([filler, secretIndex, formIndex]) => filler + forms[(secretIndex * 31 + formIndex) % forms.length]).join('');
        const masked = redactSecrets(text, values);
        for (const form of forms) {
          assert.ok(!masked.includes(form), `${JSON.stringify(form)} in ${JSON.stringify(masked)}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('streaming secret masking', () => {
  const masker = new SecretMasker(secrets);
  const text = secrets.map((secret, index) => `line ${index}: ${Object.values(namedForms(secret))[index * 2]} and ${secret}!\n`).join('');
  const expected = masker.mask(text);

  it('masks the same when the text is cut in two chunks at every offset', () => {
    assert.ok(!secrets.some((secret) => expected.includes(secret)));
    for (let cut = 0; cut <= text.length; cut++) {
      assert.equal(streamed(masker, text, [cut]), expected, `cut at ${cut}`);
    }
  });

  it('masks the same when the text is cut in three chunks at every pair of offsets', () => {
    const short = `x${secrets[2]}y${Buffer.from(secrets[3]).toString('base64')}z`;
    const shortExpected = `x${secretMask}y${secretMask}z`;
    for (let first = 0; first <= short.length; first++) {
      for (let second = first; second <= short.length; second++) {
        assert.equal(streamed(masker, short, [first, second]), shortExpected, `cuts at ${first}, ${second}`);
      }
    }
  });

  it('masks the same as one piece for random secrets, texts and chunkings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', minLength: 3, maxLength: 12 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.string({ maxLength: 6 }), fc.nat()), { maxLength: 10 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (values, pieces, cutSeeds) => {
          const forms = values.flatMap(secretForms);
          const whole = pieces.map(([filler, index]) => filler + forms[index % forms.length]).join('');
          const cuts = cutSeeds.map((seed) => seed % (whole.length + 1)).sort((a, b) => a - b);
          const randomMasker = new SecretMasker(values);
          assert.equal(streamed(randomMasker, whole, cuts), randomMasker.mask(whole));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('agrees with a brute-force search for secrets that overlap each other and themselves', () => {
    const overlapping = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 3, maxLength: 7 });
    const piece = fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.string({ unit: fc.constantFrom('a', 'b', ' '), maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(overlapping, { minLength: 1, maxLength: 4 }), fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 5 }), (values, pieces, cutSeeds) => {
        // Secrets, their starts and their ends, packed together so that they overlap.
        const whole = pieces.map(([which, from, to, filler]) => values[which % values.length].slice(from % 4, 7 - (to % 4)) + filler).join('');
        const cuts = cutSeeds.map((seed) => seed % (whole.length + 1)).sort((a, b) => a - b);
        const expectedMasked = maskedByBruteForce(whole, values.flatMap(secretForms));
        const overlapMasker = new SecretMasker(values);
        assert.equal(overlapMasker.mask(whole), expectedMasked);
        assert.equal(streamed(overlapMasker, whole, cuts), expectedMasked);
      }),
      { numRuns: 2000 },
    );
  });

  it('holds back only the end of a chunk that may begin a secret', () => {
    const stream = new SecretMasker(['hunter2']).stream();
    assert.equal(stream.push('log line 1\nhunt'), 'log line 1\n');
    assert.equal(stream.push('ing season\n'), 'hunting season\n');
    assert.equal(stream.push('pw: hunte'), 'pw: ');
    assert.equal(stream.push('r2 ok, aHVud'), `${secretMask} ok, `);
    assert.equal(stream.flush(), 'aHVud');
  });

  it('never holds back more than the longest form minus one character', () => {
    const forms = secrets.flatMap(secretForms);
    const longest = Math.max(...forms.map((form) => form.length));
    for (const form of forms) {
      const stream = masker.stream();
      stream.push(`text ${form.slice(0, -1)}`);
      assert.ok(stream.flush().length <= longest - 1);
    }
  });
});

describe('output view of a huge output', () => {
  it('shows a small output whole', () => {
    const view = new OutputView();
    view.append('one\n');
    view.append('two\n');
    assert.deepEqual(view.render(), { text: 'one\ntwo\n', omittedBytes: 0 });
  });

  it('keeps the first and last bytes, and says how much is not shown', () => {
    const view = new OutputView({ headBytes: 1024, tailBytes: 2048 });
    const lines = Array.from({ length: 100_000 }, (_, index) => `line ${index}\n`);
    const whole = lines.join('');
    for (let start = 0, size = 1; start < lines.length; start += size, size = (size * 7) % 50 + 1) {
      view.append(lines.slice(start, start + size).join(''));
    }
    const { text, omittedBytes } = view.render();
    assert.equal(omittedBytes, whole.length - 1024 - 2048);
    const [head, tail] = text.split(`[… ${describeBytes(omittedBytes)} not shown …]\n`);
    assert.equal(head.replace(/\n$/, ''), whole.slice(0, 1024).replace(/\n$/, ''));
    assert.equal(tail, whole.slice(-2048));
    assert.match(text, /\[… 1\.0 MiB not shown …\]/);
  });

  it('gives the same view whether the output comes in one piece or a character at a time', () => {
    const whole = Array.from({ length: 20_000 }, (_, index) => `${index} ü\n`).join('');
    const byCharacter = new OutputView({ headBytes: 3000, tailBytes: 5000 });
    for (const character of whole) {
      byCharacter.append(character);
    }
    const inOnePiece = new OutputView({ headBytes: 3000, tailBytes: 5000 });
    inOnePiece.append(whole);
    assert.deepEqual(byCharacter.render(), inOnePiece.render());
    assert.equal(inOnePiece.render().omittedBytes, Buffer.byteLength(whole) - 3000 - 5000);
  });

  it('cuts between characters, never inside one', () => {
    const view = new OutputView({ headBytes: 10, tailBytes: 10 });
    view.append('ééééé🔑');
    view.append('🔑'.repeat(100));
    view.append('x🔑🔑🔑');
    const { text, omittedBytes } = view.render();
    const [head, tail] = text.split(/\n\[… .* not shown …\]\n/);
    assert.equal(head, 'ééééé');
    assert.equal(tail, '🔑🔑');
    assert.equal(omittedBytes, Buffer.byteLength('ééééé🔑'.repeat(1) + '🔑'.repeat(100) + 'x🔑🔑🔑') - 10 - 8);
  });

  it('takes one huge chunk and keeps only its ends', () => {
    const view = new OutputView();
    const huge = 'a'.repeat(3 * 1024 * 1024) + 'END';
    view.append(huge);
    const { text, omittedBytes } = view.render();
    assert.equal(omittedBytes, huge.length - 2 * 512 * 1024);
    assert.ok(text.endsWith('aEND'));
    assert.match(text, /\[… 2\.0 MiB not shown …\]/);
  });
});

describe('output slices', () => {
  it('cuts a long text into slices that rebuild it', () => {
    const text = 'x'.repeat(10_001);
    const pieces = slices(text, 1000);
    assert.equal(pieces.length, 11);
    assert.ok(pieces.every((piece) => piece.length <= 1000));
    assert.equal(pieces.join(''), text);
  });

  it('never splits a surrogate pair', () => {
    const pieces = slices('a🔑🔑🔑', 2);
    assert.deepEqual(pieces, ['a', '🔑', '🔑', '🔑']);
    assert.deepEqual(slices('', 10), []);
  });

  it('refuses a slice size that cannot hold a character', () => {
    assert.throws(() => slices('abc', 1), RangeError);
  });
});
