import { SDK_LINES } from '../../test-support/sdk-lines.js';
import { runAdapterContract } from './adapter.contract.js';

runAdapterContract(SDK_LINES.find((line) => line.name === 'v1')!);
