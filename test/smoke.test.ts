import { SignJWT } from 'jose';
import { Client } from 'fhir-kit-client';
import { x } from '../src/index.js';
test('smoke', () => { expect(x).toBe(1); expect(typeof SignJWT).toBe('function'); expect(typeof Client).toBe('function'); });
