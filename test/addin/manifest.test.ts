/**
 * The add-in manifest, parsed with office-addin-manifest (as `npm run validate` does, without
 * Microsoft's online service) and xml2js: surfaces, launch event, URLs, icons, and function names
 * the commands runtime really registers with Office.actions.associate.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { OfficeAddinManifest } from 'office-addin-manifest';
import { parseStringPromise } from 'xml2js';
import { register } from '../../src/commands';
import { INFO_ICON, LAUNCH_HANDLERS } from '../../src/commands/launch';
import { registeredFunctionNames } from '../../src/commands/logic';
import { DEV_BASE_URL, manifestCommand, rewriteManifestUrls } from '../../src/cli/manifest';

const ROOT = join(__dirname, '..', '..');
const MANIFEST = join(ROOT, 'manifest.xml');
const xmlText = readFileSync(MANIFEST, 'utf8');

type Node = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Every element named `name` anywhere below `node` (xml2js shape: arrays of children, `$` attributes). */
function all(node: unknown, name: string, out: Node[] = []): Node[] {
  if (Array.isArray(node)) node.forEach((n) => all(n, name, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Node)) {
      if (k === '$') continue;
      if (k === name) (Array.isArray(v) ? v : [v]).forEach((x) => out.push(x as Node));
      all(v, name, out);
    }
  }
  return out;
}

function pngSize(file: string): { w: number; h: number } {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { w: b.readUInt32BE(16), h: b.readUInt32BE(20) };
}

let doc: Node;
let v10: Node;
let v11: Node;

beforeAll(async () => {
  doc = await parseStringPromise(xmlText);
  v10 = doc.OfficeApp.VersionOverrides[0];
  v11 = v10.VersionOverrides[0];
});

test('office-addin-manifest reads it as a Mailbox add-in with ReadWriteItem and a four-part version', async () => {
  const info = await OfficeAddinManifest.readManifestFile(MANIFEST);
  expect(info.officeAppType).toBe('MailApp');
  expect(info.hosts).toEqual(['Mailbox']);
  expect(info.permissions).toBe('ReadWriteItem');
  expect(info.version).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  expect(info.defaultLocale).toBe('sv-SE');
});

test('activates on appointments in both compose (organizer) and read (attendee) forms', () => {
  const rules = all(doc.OfficeApp.Rule, 'Rule').map((r) => r.$);
  expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ ItemType: 'Appointment', FormType: 'Edit' }), expect.objectContaining({ ItemType: 'Appointment', FormType: 'Read' })]));
});

test('VersionOverrides 1.0 and 1.1 both carry the organizer and attendee surfaces; 1.1 adds the launch events and the send check', () => {
  const types = (vo: Node) =>
    vo.Hosts[0].Host[0].DesktopFormFactor[0].ExtensionPoint.map((e: Node) => e.$['xsi:type']);
  expect(v10.$['xsi:type']).toBe('VersionOverridesV1_0');
  expect(v11.$['xsi:type']).toBe('VersionOverridesV1_1');
  expect(types(v10)).toEqual(['AppointmentOrganizerCommandSurface', 'AppointmentAttendeeCommandSurface']);
  expect(types(v11)).toEqual(['AppointmentOrganizerCommandSurface', 'AppointmentAttendeeCommandSurface', 'LaunchEvent']);
  const launch = all(v11, 'LaunchEvent').filter((e) => e.$?.Type);
  expect(launch.map((e) => e.$)).toEqual([
    { Type: 'OnNewAppointmentOrganizer', FunctionName: LAUNCH_HANDLERS.OnNewAppointmentOrganizer },
    { Type: 'OnAppointmentTimeChanged', FunctionName: LAUNCH_HANDLERS.OnAppointmentTimeChanged },
    { Type: 'OnAppointmentRecurrenceChanged', FunctionName: LAUNCH_HANDLERS.OnAppointmentRecurrenceChanged },
    { Type: 'OnAppointmentSend', FunctionName: 'onAppointmentSendHandler', SendMode: 'SoftBlock' },
  ]);
  // Each event's name and lowest requirement set, as Microsoft's "Configure your Outlook add-in for
  // event-based activation" lists them (https://learn.microsoft.com/office/dev/add-ins/outlook/autolaunch,
  // "Supported events"; the sets' pages say the same: requirement-set-1.10, 1.11 "Added new events for
  // event-based activation: ... OnAppointmentRecurrenceChanged, OnAppointmentTimeChanged", 1.12 "OnAppointmentSend").
  const minimumSet: Record<string, number> = { OnNewAppointmentOrganizer: 1.1, OnAppointmentTimeChanged: 1.11, OnAppointmentRecurrenceChanged: 1.11, OnAppointmentSend: 1.12 };
  const declared = Number(v11.Requirements[0]['bt:Sets'][0].$.DefaultMinVersion);
  for (const e of launch) expect(minimumSet[e.$.Type]).toBeLessThanOrEqual(declared);
  // An informational notification must name an icon defined in the manifest (NotificationMessageDetails.icon).
  expect(v11.Resources[0]['bt:Images'][0]['bt:Image'].map((i: Node) => i.$.id)).toContain(INFO_ICON);
  // Smart Alerts need Mailbox 1.12.
  expect(v11.Requirements[0]['bt:Sets'][0].$.DefaultMinVersion).toBe('1.12');
  // Classic Outlook on Windows runs the launch event in the JavaScript-only runtime.
  const runtime = v11.Hosts[0].Host[0].Runtimes[0].Runtime[0];
  expect(runtime.Override[0].$).toEqual({ type: 'javascript', resid: 'JSRuntime.Url' });
});

test('the organizer surface has the "NP-kod" menu with one item per code and one that removes it', () => {
  const org = v11.Hosts[0].Host[0].DesktopFormFactor[0].ExtensionPoint[0];
  const menu = all(org, 'Control').find((c) => c.$['xsi:type'] === 'Menu') as Node;
  const shortStrings = Object.fromEntries(v11.Resources[0]['bt:ShortStrings'][0]['bt:String'].map((s: Node) => [s.$.id, s.$.DefaultValue]));
  expect(shortStrings[menu.Label[0].$.resid]).toBe('NP-kod');
  const items = menu.Items[0].Item as Node[];
  expect(items.map((i) => i.Action[0].FunctionName[0])).toEqual(['npCodeL', 'npCodeGF', 'npCodeT', 'npCodeM', 'npCodeTR', 'npCodeK', 'npCodeS', 'npCodeVAB', 'npCodeTF', 'npCodeSj', 'npRemoveCode']);
  expect(items.every((i) => i.Action[0].$['xsi:type'] === 'ExecuteFunction')).toBe(true);
  expect(shortStrings['Code.L']).toBe('NP/L: Lunch');
  // Attendees cannot edit the subject: their surface has only the task pane.
  const att = v11.Hosts[0].Host[0].DesktopFormFactor[0].ExtensionPoint[1];
  expect(all(att, 'Control').map((c) => c.Action[0].$['xsi:type'])).toEqual(['ShowTaskpane']);
});

test('every function name in the manifest is registered by the runtime with Office.actions.associate, and vice versa', () => {
  const inManifest = new Set([
    ...all(doc, 'FunctionName').map((f) => (typeof f === 'string' ? f : String(f))),
    ...all(v11, 'LaunchEvent')
      .filter((e) => e.$?.FunctionName)
      .map((e) => e.$.FunctionName as string),
  ]);
  const associated: string[] = [];
  const fakeOffice = { actions: { associate: (name: string, fn: unknown) => { expect(typeof fn).toBe('function'); associated.push(name); } } };
  register(fakeOffice as unknown as typeof Office);
  expect(new Set(associated)).toEqual(inManifest);
  expect(new Set(registeredFunctionNames())).toEqual(inManifest);
});

test('every resource id is defined once, short enough, and every reference resolves', () => {
  for (const vo of [v10, v11]) {
    const res = vo.Resources[0];
    const defined = [
      ...res['bt:Images'][0]['bt:Image'],
      ...res['bt:Urls'][0]['bt:Url'],
      ...res['bt:ShortStrings'][0]['bt:String'],
      ...res['bt:LongStrings'][0]['bt:String'],
    ].map((x: Node) => x.$.id as string);
    expect(new Set(defined).size).toBe(defined.length);
    defined.forEach((id) => expect(id.length).toBeLessThanOrEqual(32));
    const referenced = new Set<string>();
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const attrs = (n as Node).$;
        if (attrs?.resid) referenced.add(attrs.resid);
        Object.entries(n as Node).forEach(([k, v]) => k !== '$' && k !== 'VersionOverrides' && walk(v));
      }
    };
    walk(vo.Hosts);
    referenced.forEach((id) => expect(defined).toContain(id));
    res['bt:ShortStrings'][0]['bt:String'].forEach((s: Node) => expect(s.$.DefaultValue.length).toBeLessThanOrEqual(125));
    res['bt:LongStrings'][0]['bt:String'].forEach((s: Node) => expect(s.$.DefaultValue.length).toBeLessThanOrEqual(250));
  }
});

test('every URL is under the development base and names a file the build produces; icons have their declared size', () => {
  const urls = [...xmlText.replace(/<!--[\s\S]*?-->/g, "").matchAll(/https:\/\/[^"<\s]+/g)].map((m) => m[0]).filter((u) => !u.startsWith('https://schemas') && !u.startsWith('http://schemas'));
  const local = urls.filter((u) => u.startsWith(DEV_BASE_URL));
  expect(local.length).toBeGreaterThan(10);
  const webpackEntries = ['taskpane', 'commands'];
  for (const u of local) {
    const p = u.slice(DEV_BASE_URL.length);
    if (p === '') continue; // AppDomain
    expect(p.startsWith('/addin/')).toBe(true);
    const file = p.slice('/addin/'.length);
    if (file.startsWith('assets/')) expect(existsSync(join(ROOT, file))).toBe(true);
    else if (file.endsWith('.html')) expect(existsSync(join(ROOT, 'src/taskpane/html', file))).toBe(true);
    else if (file.endsWith('.js')) expect(webpackEntries).toContain(file.replace(/\.js$/, ''));
    else throw new Error(`unexpected URL ${u}`);
  }
  for (const vo of [v10, v11]) {
    for (const img of vo.Resources[0]['bt:Images'][0]['bt:Image'] as Node[]) {
      const size = Number(/icon-(\d+)\.png$/.exec(img.$.DefaultValue)?.[1]);
      expect([16, 32, 64, 80, 128]).toContain(size);
      expect(pngSize(join(ROOT, 'assets', `icon-${size}.png`))).toEqual({ w: size, h: size });
    }
  }
});

test('manifest --url rewrites every URL to the deployment and refuses plain http', async () => {
  const out = manifestCommand(['--url', 'https://kk.example.se/'], (p) => readFileSync(p, 'utf8'));
  expect(out).not.toContain('localhost');
  expect(out).toContain('<SourceLocation DefaultValue="https://kk.example.se/addin/taskpane.html"/>');
  expect(out).toContain('<bt:Url id="JSRuntime.Url" DefaultValue="https://kk.example.se/addin/commands.js"/>');
  const info = await parseStringPromise(out);
  expect(info.OfficeApp.AppDomains[0].AppDomain[0]).toBe('https://kk.example.se');
  expect(rewriteManifestUrls(xmlText, 'https://host.example/kk')).toContain('https://host.example/kk/addin/assets/icon-64.png');
  expect(() => rewriteManifestUrls(xmlText, 'http://kk.example.se')).toThrow(/https/);
  expect(() => manifestCommand([], () => xmlText)).toThrow(/--url/);
});
