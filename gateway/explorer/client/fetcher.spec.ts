import { operationToRun } from './fetcher';

describe('the operation name the explorer sends', () => {
  const BORDER_CHECK =
    'query BorderCheck($d: [DocumentCheckInput!]!) { checkDocuments(input: $d) { verdict } }';

  test("a document of one operation runs it, whatever name GraphiQL still holds from the editor's last text", () => {
    expect(operationToRun(BORDER_CHECK, 'Me')).toBe('BorderCheck');
    expect(operationToRun(BORDER_CHECK, undefined)).toBe('BorderCheck');
    expect(operationToRun('{ me { clientId } }', 'Me')).toBeNull();
  });

  test('with several operations, GraphiQL’s choice stands, also when the gateway will refuse it', () => {
    const two = `${BORDER_CHECK} query Me { me { clientId } }`;
    expect(operationToRun(two, 'Me')).toBe('Me');
    expect(operationToRun(two, 'Other')).toBe('Other');
    expect(operationToRun(two, undefined)).toBeUndefined();
  });

  test('a document that does not parse goes out as typed, for the gateway to explain', () => {
    expect(operationToRun('query Broken {', 'Broken')).toBe('Broken');
  });
});
