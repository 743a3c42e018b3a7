/** DIRECTORY_* configuration: off unless an attribute is set, needs Graph, one-line errors naming the variable; and the extension rules. */
import { type ConfigError, loadConfig } from '../../../src/server/config';
import { createDirectory } from '../../../src/server/directory';
import { attributeNamed } from '../../../src/server/directory/config';
import { extensionOf } from '../../../src/server/directory/plan';
import { Service } from '../../../src/server/service';
import { openStore } from '../../../src/server/store/open';
import { TID } from '../../helpers/server';
import { CLIENT } from './harness';

const graph = { GRAPH_TENANT_ID: TID, GRAPH_CLIENT_ID: CLIENT, GRAPH_CLIENT_SECRET: 's3cret' };

test('off by default, also with Graph; defaults when an attribute is set', () => {
  expect(loadConfig({}).directory).toEqual({ attribute: null, digits: 0, syncAt: '03:00', groupId: null });
  expect(loadConfig(graph).directory.attribute).toBeNull();
  expect(loadConfig({ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones' }).directory).toEqual({ attribute: 'businessPhones', digits: 0, syncAt: '03:00', groupId: null });
  expect(
    loadConfig({
      ...graph,
      DIRECTORY_EXTENSION_ATTRIBUTE: 'onPremisesExtensionAttributes.ExtensionAttribute7',
      DIRECTORY_EXTENSION_DIGITS: '4',
      DIRECTORY_SYNC_AT: '5:30',
      DIRECTORY_GROUP_ID: 'AAAAAAAA-0000-4000-8000-000000000001',
    }).directory,
  ).toEqual({ attribute: 'extensionAttribute7', digits: 4, syncAt: '05:30', groupId: 'aaaaaaaa-0000-4000-8000-000000000001' });
  expect(loadConfig({ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'mobilePhone', DIRECTORY_SYNC_AT: 'off' }).directory.syncAt).toBeNull();
});

test.each<[Record<string, string>, string, RegExp]>([
  [{ DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones' }, 'DIRECTORY_EXTENSION_ATTRIBUTE', /needs Microsoft Graph configured/],
  [{ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'telephoneNumber' }, 'DIRECTORY_EXTENSION_ATTRIBUTE', /must be businessPhones, mobilePhone, employeeId or extensionAttribute1 … extensionAttribute15 \(got "telephoneNumber"\)/],
  [{ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'extensionAttribute16' }, 'DIRECTORY_EXTENSION_ATTRIBUTE', /must be/],
  [{ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones', DIRECTORY_EXTENSION_DIGITS: '1' }, 'DIRECTORY_EXTENSION_DIGITS', /at least 2 digits/],
  [{ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones', DIRECTORY_EXTENSION_DIGITS: '16' }, 'DIRECTORY_EXTENSION_DIGITS', /must be 0 \(the whole value/],
  [{ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones', DIRECTORY_EXTENSION_DIGITS: 'four' }, 'DIRECTORY_EXTENSION_DIGITS', /must be/],
  [{ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones', DIRECTORY_SYNC_AT: '25:00' }, 'DIRECTORY_SYNC_AT', /must be a local time of day HH:mm such as 03:00, or off \(got "25:00"\)/],
  [{ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'businessPhones', DIRECTORY_GROUP_ID: 'Telefonister' }, 'DIRECTORY_GROUP_ID', /must be a group's object id/],
  [{ ...graph, DIRECTORY_GROUP_ID: 'aaaaaaaa-0000-4000-8000-000000000001' }, 'DIRECTORY_GROUP_ID', /needs DIRECTORY_EXTENSION_ATTRIBUTE/],
])('%j is refused naming %s', (env, variable, message) => {
  let error: unknown;
  try {
    loadConfig(env);
  } catch (e) {
    error = e;
  }
  expect((error as ConfigError).variable).toBe(variable);
  expect((error as Error).message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain('\n');
});

test('createDirectory: null without Graph; with Graph a lookup, and a sync that is enabled only with an attribute', async () => {
  const store = await openStore(':memory:');
  const service = new Service(store, Date.now, 'Europe/Stockholm');
  expect(createDirectory(loadConfig({}), { service, clock: Date.now })).toBeNull();
  const plain = createDirectory(loadConfig(graph), { service, clock: Date.now })!;
  expect(typeof plain.lookup.resolve).toBe('function');
  expect(plain.sync.enabled).toBe(false);
  expect(createDirectory(loadConfig({ ...graph, DIRECTORY_EXTENSION_ATTRIBUTE: 'employeeId' }), { service, clock: Date.now })!.sync.enabled).toBe(true);
  await store.close();
});

test('attribute names: canonical, any case, with or without onPremisesExtensionAttributes.', () => {
  expect(attributeNamed('BUSINESSPHONES')).toBe('businessPhones');
  expect(attributeNamed('extensionattribute3')).toBe('extensionAttribute3');
  expect(attributeNamed('onPremisesExtensionAttributes.extensionAttribute12')).toBe('extensionAttribute12');
  expect(attributeNamed('onPremisesExtensionAttributes.mobilePhone')).toBeNull();
  expect(attributeNamed('extensionAttribute0')).toBeNull();
});

test.each<[string | null, number, string]>([
  ['+46 8 508 01021', 4, '1021'],
  ['+46 8 508 01021', 0, '46850801021'],
  ['08-508 010 21', 5, '01021'],
  ['(08) 508.010.21', 0, '0850801021'],
  ['1021', 0, '1021'],
  ['1021', 4, '1021'],
  [null, 4, 'noValue'],
  ['ext 1021', 4, 'malformed'],
  ['1021/1022', 0, 'malformed'],
  ['7', 0, 'malformed'],
  ['123', 4, 'malformed'],
  ['1234567890123456', 0, 'malformed'],
])('%j with %d digits → %s', (value, digits, want) => {
  const r = extensionOf(value, digits);
  expect('extension' in r ? r.extension : r.reason).toBe(want);
});
