/** Issue 6, point 4: a call's fhirServer must lie under the calling issuer's prefixes (the bearer token goes there). */
import { assertFhirServerAllowed, isSpecialHost } from '../../src/auth/fhir-server.js';
import { AuthError } from '../../src/auth/types.js';

const LIST = ['https://ehr.example.org/fhir', 'https://ehr2.example.org:8443/api/FHIR/R4', 'http://127.0.0.1:8080/fhir'];

const rows: Array<[string, string, boolean]> = [
  ['the prefix itself', 'https://ehr.example.org/fhir', true],
  ['the prefix with a trailing slash', 'https://ehr.example.org/fhir/', true],
  ['below the prefix', 'https://ehr.example.org/fhir/tenant-1', true],
  ['host case and default port normalised', 'https://EHR.example.org:443/fhir', true],
  ['explicit port listed', 'https://ehr2.example.org:8443/api/FHIR/R4', true],
  ['loopback listed explicitly', 'http://127.0.0.1:8080/fhir', true],
  ['lookalike host suffix', 'https://ehr.example.org.evil.com/fhir', false],
  ['path not on a segment boundary', 'https://ehr.example.org/fhirx', false],
  ['dot-dot escapes the prefix', 'https://ehr.example.org/fhir/../admin', false],
  ['encoded dot-dot escapes the prefix', 'https://ehr.example.org/fhir/%2e%2e/admin', false],
  ['http instead of https', 'http://ehr.example.org/fhir', false],
  ['another port', 'https://ehr.example.org:444/fhir', false],
  ['userinfo trick', 'https://ehr.example.org@evil.com/fhir', false],
  ['credentials in URL', 'https://u:p@ehr.example.org/fhir', false],
  ['query string', 'https://ehr.example.org/fhir?x=1', false],
  ['loopback on another port', 'http://127.0.0.1:9999/fhir', false],
  ['loopback as decimal integer', 'http://2130706433:8080/fhir', true], // normalises to the listed 127.0.0.1:8080
  ['localhost name is not the listed literal', 'http://localhost:8080/fhir', false],
  ['IPv6 loopback', 'http://[::1]:8080/fhir', false],
  ['IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]:8080/fhir', false],
  ['AWS/GCP/Azure metadata IP', 'http://169.254.169.254/latest/meta-data', false],
  ['GCP metadata name', 'http://metadata.google.internal/computeMetadata/v1', false],
  ['private address', 'http://10.0.0.5/fhir', false],
  ['not a URL', 'ehr.example.org/fhir', false],
  ['another scheme', 'file:///etc/passwd', false],
];

test.each(rows)('%s: %s → allowed %s', (_name, url, allowed) => {
  const run = () => assertFhirServerAllowed(url, LIST);
  if (allowed) expect(run).not.toThrow();
  else {
    expect(run).toThrow(AuthError);
    try {
      run();
    } catch (err) {
      expect((err as AuthError).status).toBe(403);
      expect((err as AuthError).check).toBe('fhirServer');
    }
  }
});

test('an issuer with no fhirServers may send us nowhere', () => {
  expect(() => assertFhirServerAllowed('https://ehr.example.org/fhir', [])).toThrow(AuthError);
});

test.each([
  ['127.0.0.1', true], ['127.8.9.10', true], ['localhost', true], ['app.localhost', true], ['[::1]', true],
  ['169.254.169.254', true], ['metadata.google.internal', true], ['[fd00:ec2::254]', true], ['192.168.1.2', true],
  ['172.20.0.1', true], ['[::ffff:7f00:1]', true], ['ehr.example.org', false], ['8.8.8.8', false], ['172.32.0.1', false],
])('isSpecialHost(%s) = %s', (host, special) => {
  expect(isSpecialHost(host)).toBe(special);
});
