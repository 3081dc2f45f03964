#!/usr/bin/env node
/**
 * `ksml`: the project's command line. Each command lives in ./commands/<name>.ts and is
 * registered here.
 */
import { Command } from 'commander';
import { registerDemoCommand } from './commands/demo.js';
import { registerDeployCommand } from './commands/deploy.js';
import { registerIngestCommand } from './commands/ingest.js';
import { registerRunCommand } from './commands/run.js';
import { registerEngineCommand } from './commands/engine.js';
import { registerModelCommands } from './commands/models.js';
import { registerScoreCommand } from './commands/score.js';
import { registerTrainCommand } from './commands/train.js';

const program = new Command('ksml')
  .description('streaming machine learning on Kafka with a ksqlDB-compatible local engine')
  .showHelpAfterError();

registerEngineCommand(program);
registerDemoCommand(program);
registerDeployCommand(program);
registerIngestCommand(program);
registerRunCommand(program);
registerTrainCommand(program);
registerScoreCommand(program);
registerModelCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
