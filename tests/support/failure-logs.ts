import { beforeEach } from 'vitest';
import { warningsOfRunningSystems } from './system.ts';

// A test that fails against a running system prints, beside its error, what that system's processes
// warned about: a failure seen only in CI leaves no other trace of its cause.
beforeEach(({ onTestFailed }) => {
  onTestFailed(() => {
    const warnings = warningsOfRunningSystems();
    if (warnings === undefined) return;
    console.error(
      warnings
        ? `What the running systems' processes logged at warning level or worse:\n${warnings}`
        : 'No process of a running system logged a warning or an error (their full logs are under test-results/logs/).',
    );
  });
});
