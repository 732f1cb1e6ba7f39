#!/usr/bin/env node
/**
 * The her2-cds command (package.json "bin"):
 *   her2-cds call --fhir-server URL --patient ID [--token T] [--hook patient-view] [--order KEY] [--json]
 *   her2-cds interpret FILE [--json]
 *   her2-cds check-config
 * Failures print one line on stderr and exit 1.
 */
import { Command } from 'commander';
import { callService } from './call.js';
import { checkConfig } from './check-config.js';
import { CliError } from './errors.js';
import { registerFeedbackReport } from './feedback-report.js';
import { formatCards } from './format.js';
import { formatInterpretation, interpretFile } from './interpret-file.js';
import { DRAFT_ORDERS } from '../embedded/preview/client/draft-orders.js';

export function buildProgram(): Command {
  const program = new Command('her2-cds')
    .description('HER2/ER/PR CDS Hooks service: call it, interpret FHIR files, check the configuration')
    .showHelpAfterError();

  program
    .command('call')
    .description('call the service on a FHIR server as an EHR would (no prefetch: the service reads the server itself) and print the cards')
    .requiredOption('--fhir-server <url>', 'FHIR R4 base URL, e.g. https://r4.smarthealthit.org')
    .requiredOption('--patient <id>', 'Patient id on that server')
    .option('--token <token>', 'access token for the FHIR server (sent as fhirAuthorization)')
    .option('--hook <hook>', 'patient-view, order-select or order-sign', 'patient-view')
    .option('--order <key>', `draft order for the order hooks: ${DRAFT_ORDERS.map((d) => d.key).join(', ')}`, 'trastuzumab')
    .option('--json', 'print the CDS Hooks response as JSON')
    .action(async (opts: { fhirServer: string; patient: string; token?: string; hook: string; order: string; json?: boolean }) => {
      const result = await callService({ ...opts, env: process.env });
      for (const w of result.warnings) process.stderr.write(`warning: could not read the ${w.role}: ${w.detail}\n`);
      process.stdout.write(opts.json ? `${JSON.stringify({ cards: result.cards }, null, 2)}\n` : `${formatCards(result.cards)}\n`);
    });

  program
    .command('interpret')
    .description('interpret a FHIR Bundle, a resource, a JSON array of resources or NDJSON and print the interpretation')
    .argument('<file>', 'file with FHIR resources')
    .option('--json', 'print the interpretation contract object as JSON')
    .action(async (file: string, opts: { json?: boolean }) => {
      const interpretation = await interpretFile(file);
      process.stdout.write(opts.json ? `${JSON.stringify(interpretation, null, 2)}\n` : `${formatInterpretation(interpretation)}\n`);
    });

  program
    .command('check-config')
    .description('validate the environment and the trust file as the server would, and print the effective settings')
    .action(() => {
      process.stdout.write(`${checkConfig(process.env)}\n`);
    });
  registerFeedbackReport(program);
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    const message = err instanceof CliError ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    process.stderr.write(`her2-cds: ${message}\n`);
    process.exitCode = 1;
  });
