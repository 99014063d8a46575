import { strict as assert } from 'node:assert';
import { execError, output } from './templateHelpers';

const printf = (args: string) => output(`{{if true}}{{printf ${args}}}{{end}}`);

describe('Go fidelity: hoop\'s functions', () => {
  it('passes the required message to fmt.Errorf as a format, as hoop does', () => {
    assert.equal(
      execError('{{ .x | required "100% sure" }}', { x: '' }),
      'template: :1:8: executing "" at <required "100% sure">: error calling required: 100%!s(MISSING)ure',
    );
    assert.match(execError('{{ .x | required "50%% off %d" }}', { x: '' }), /error calling required: 50% off %!d\(MISSING\)$/);
  });

  it('keeps the bytes decodeb64 produces, even when they are not UTF-8', () => {
    assert.equal(output('{{ .x | decodeb64 | len }}', { x: '/w==' }), '1');
    assert.equal(output('{{ .x | decodeb64 | printf "%q|%x" }}', { x: '/w==' }), '"\\xff"|%!x(MISSING)');
    assert.equal(output('{{ .x | decodeb64 | printf "%x" }}', { x: 'gP8=' }), '80ff');
    assert.equal(output('{{ .x | decodeb64 | encodeb64 }}', { x: 'gP8=' }), 'gP8=');
    assert.equal(output('[{{ .x | decodeb64 }}]', { x: 'w6k=' }), '[é]');
  });
});

describe('Go fidelity: len, slice and index count bytes', () => {
  it('slices inside a multi-byte character and measures the bytes', () => {
    assert.equal(output('{{ .x | len }}', { x: 'é€😀' }), '9');
    assert.equal(output('{{if true}}{{slice "é" 0 1 | len}}|{{slice "é" 0 1 | printf "%q"}}|{{index "é" 1}}{{end}}'), '1|"\\xc3"|169');
    assert.equal(output('{{if true}}{{slice "é" 0 1}}{{slice "é" 1}}{{end}}'), 'é');
    assert.equal(output('{{if true}}{{printf "%.1s|%3s|" (slice "éa" 1) "\\xff"}}{{end}}'), '\uFFFD|  \uFFFD|');
  });
});

describe('Go fidelity: printf', () => {
  it('honours explicit argument indexes', () => {
    assert.equal(printf('"%[2]s-%[1]s" "a" "b"'), 'b-a');
    assert.equal(printf('"%[3]s|%[0]d" "a" "b"'), '%!s(BADINDEX)|%!d(BADINDEX)');
    assert.equal(printf('"%[2]*[1]d|" 12 5'), '   12|');
    assert.equal(printf('"%[1]s %s %s" "a" "b"'), 'a b %!s(MISSING)');
    assert.equal(printf('"%[1]s" "a" "b"'), 'a');
  });

  it('formats the # and + flags as Go does', () => {
    assert.equal(printf('"%+q" "héllo\\n"'), '"h\\u00e9llo\\n"');
    assert.equal(printf('"%#q|%#q" "ab" "a`b"'), '`ab`|"a`b"');
    assert.equal(printf('"%#o|%#o|%O|%#x|%#X|%#b" 8 0 8 255 255 5'), '010|0|0o10|0xff|0XFF|0b101');
    assert.equal(printf('"%#v|%#v|%#v|%#v|%#v" "s" 3 1.0 true .nokey'), '"s"|3|1|true|<nil>');
    assert.equal(printf('"%+v|%+d|% d|%+q" 5 5 5 \'é\''), "5|+5| 5|'\\u00e9'");
    assert.equal(printf('"%#08x|%08.3f|%+.2e|%-5d|%05s|%-05d|" 255 -3.14159 12345.678 3 "a" 3'), '0x000000ff|-003.142|+1.23e+04|3    |0000a|3    |');
    assert.equal(printf('"%x|%X|% x|%# x" -255 "hé" "abc" "abc"'), '-ff|68C3A9|61 62 63|0x61 0x62 0x63');
    assert.equal(printf('"%#U|%U" \'x\' 0x1F600'), "U+0078 'x'|U+1F600");
    assert.equal(output('{{.a}}{{if true}}{{printf "%#v|%v|%d" . . .}}{{end}}', { a: 'A', b: '' }),
      'Amap[string]string{"a":"A", "b":""}|map[a:A b:]|map[%!d(string=a):%!d(string=A) %!d(string=b):%!d(string=)]');
  });

  it('rounds floats half to even on the exact binary value, as strconv does', () => {
    assert.equal(printf('"%.0f %.0f %.0f %.1f %.2f %.3g %e %g %g %#g"  0.5 1.5 2.5 0.25 1.005 1234567.0 0.0 100000.0 1e21 1.0'),
      '0 2 2 0.2 1.00 1.23e+06 0.000000e+00 100000 1e+21 1.00000');
  });

  it('formats floats in hexadecimal and binary exponent form (%#x counts the x among its six digits, as Go does)', () => {
    assert.equal(printf('"%x|%X|%.1x|%x|%#x|%b|%b" 1.0 -1.5 1.96875 0.0 1.0 1.0 0.0'), '0x1p+00|-0X1.8P+00|0x1.0p+01|0x0p+00|0x1.0000p+00|4503599627370496p-52|0p-1074');
    assert.equal(printf('"%x|%.2f" 1e-320 (1.5)'), '0x1.fap-1064|1.50');
  });

  it('reports bad verbs and missing or extra arguments in Go\'s words', () => {
    assert.equal(printf('"%d|%s|%z|%!" .nokey 3 "a" 1'), '%!d(<nil>)|%!s(int=3)|%!z(string=a)|%!!(int=1)');
    assert.equal(printf('"%"'), '%!(NOVERB)');
  });
});
