/** Office.js start-up for the pane: once Office is ready, Outlook's display language (e.g. "sv-SE"). */
export function whenOfficeReady(start: (displayLanguage: string | undefined) => void): void {
  void Office.onReady(() => start(Office.context.displayLanguage));
}
