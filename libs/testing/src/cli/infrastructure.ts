/** Prints, at the start of `npm test`, which infrastructure the tests will use (to stderr), and its kind (to stdout, for infra/test-all.sh). */
import { chooseInfrastructure, describeChoice } from '../infrastructure';

chooseInfrastructure().then(
  (choice) => {
    process.stderr.write(`${describeChoice(choice)}\n`);
    process.stdout.write(`${choice.kind}\n`);
  },
  (err: unknown) => {
    process.stderr.write(`test infrastructure: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
