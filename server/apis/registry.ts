import type { ApiModule } from '../core/types.ts';
import { matchingApi } from './matching/index.ts';
import { samplesApi } from './samples/index.ts';
import { taxonomyApi } from './taxonomy/index.ts';
import { telemetryApi } from './telemetry/index.ts';
import { workflowsApi } from './workflows/index.ts';

/** Every API the server answers; their base paths do not overlap. */
export const registry: ApiModule[] = [telemetryApi, workflowsApi, matchingApi, taxonomyApi, samplesApi];
