// The sampling rate in a process of its own, so that the models the bench analyzed before (the
// zoo, warm) do not slow it down: `node engine-rate.ts <set | *> <seconds>` prints the rate as JSON.
import { hw1Rate } from './engine.ts';

const [set = 'hw1', seconds = '3'] = process.argv.slice(2);
process.stdout.write(JSON.stringify(await hw1Rate(Number(seconds), set)));
