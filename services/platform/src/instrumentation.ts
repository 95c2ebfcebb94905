/**
 * Load with `node --import @sweetgiggles/platform/instrumentation services/<name>/src/main.ts`: starts
 * OpenTelemetry before the service's own modules load, which is what lets the Express instrumentation
 * see Express (an ES module import is hooked only once the hook is registered). Every run mode starts
 * the services this way.
 */
import { register } from 'import-in-the-middle/register-hooks.mjs';
import { isTracingRequested, serviceNameOfMain, startTelemetry } from './telemetry.ts';

// Only the packages that are instrumented go through the hook.
if (isTracingRequested()) register({ include: ['express', 'http', 'node:http'] });
startTelemetry(serviceNameOfMain(process.argv[1]));
