/**
 * Office.js start-up for the pane: once Office is ready, Outlook's display language (e.g. "sv-SE")
 * and whether there is an appointment to work on. Outside Outlook (a browser opening
 * taskpane.html, another Office app) the real Office.onReady resolves with no host and no
 * mailbox: the pane then says so instead of waiting for an item that never comes.
 */
export interface OfficeStart {
  displayLanguage: string | undefined;
  /** Outlook with an open item. */
  inOutlook: boolean;
}

export function whenOfficeReady(start: (s: OfficeStart) => void, office: typeof Office | undefined = typeof Office === 'undefined' ? undefined : Office): void {
  if (!office?.onReady) {
    // office.js did not load (no network to Microsoft's CDN): nothing can come from Outlook.
    start({ displayLanguage: undefined, inOutlook: false });
    return;
  }
  void office.onReady((info) => {
    const inOutlook = info?.host === office.HostType?.Outlook && Boolean(office.context?.mailbox?.item);
    start({ displayLanguage: office.context?.displayLanguage, inOutlook });
  });
}
