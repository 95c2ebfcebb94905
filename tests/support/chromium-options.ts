/**
 * How every test starts Chromium: Debian's build (this project never downloads a browser;
 * CHROMIUM_PATH points elsewhere when needed), headless, and quiet on a machine without internet.
 */
export const chromiumExecutable = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
