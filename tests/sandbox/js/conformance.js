'use strict';
// jsforce 3, unchanged, against the contractsync sandbox org.
//
// Run by tests/sandbox/test_sandbox_jsforce.py with SANDBOX_INFO set to the org's connection
// details (SandboxInfo.to_json()) and NODE_EXTRA_CA_CERTS set to its CA bundle. Prints one
// JSON object of what jsforce saw; the Python test asserts on it.

const jsforce = require('jsforce');

const info = JSON.parse(process.env.SANDBOX_INFO);
const version = '62.0';

async function failure(promise) {
  try {
    await promise;
    return null;
  } catch (err) {
    return { name: err.name, errorCode: err.errorCode, message: err.message };
  }
}

async function logins() {
  const soap = new jsforce.Connection({ loginUrl: info.login_url, version });
  const soapUser = await soap.login(info.username, info.password);
  const oauth = new jsforce.Connection({
    oauth2: {
      loginUrl: info.login_url,
      clientId: info.client_id,
      clientSecret: info.client_secret,
    },
    version,
  });
  const oauthUser = await oauth.login(info.username, info.password);
  const badPassword = await failure(
    new jsforce.Connection({ loginUrl: info.login_url, version }).login(info.username, 'wrong'),
  );
  return {
    soap: { userId: soapUser.id, orgId: soapUser.organizationId, instanceUrl: soap.instanceUrl },
    oauth: {
      userId: oauthUser.id,
      orgId: oauthUser.organizationId,
      instanceUrl: oauth.instanceUrl,
      hasToken: Boolean(oauth.accessToken),
    },
    soapQuery: (await soap.query('SELECT Id FROM User')).totalSize,
    oauthQuery: (await oauth.query('SELECT Id FROM User')).totalSize,
    badPassword,
  };
}

async function crud(conn) {
  const Account = conn.sobject('Account');
  const created = await Account.create({ Name: 'JS Account', Ext_Id__c: 'JS-1' });
  const fetched = await Account.retrieve(created.id);
  const updated = await Account.update({ Id: created.id, Phone: '555' });
  const inserted = await Account.upsert({ Ext_Id__c: 'JS-2', Name: 'JS Upserted' }, 'Ext_Id__c');
  const matched = await Account.upsert({ Ext_Id__c: 'JS-2', Name: 'JS Upserted 2' }, 'Ext_Id__c');
  const byExtId = await conn.request(`/services/data/v${version}/sobjects/Account/Ext_Id__c/JS-2`);
  const contact = await conn.sobject('Contact').create({
    LastName: 'Child',
    Account: { Ext_Id__c: 'JS-2' },
  });
  const child = await conn.sobject('Contact').retrieve(contact.id);
  const destroyed = await Account.destroy(created.id);
  return {
    created: { success: created.success, idLength: created.id.length, errors: created.errors },
    fetched: { Name: fetched.Name, type: fetched.attributes.type },
    updated,
    inserted: { success: inserted.success, created: inserted.created },
    matched: { success: matched.success, created: matched.created },
    byExtId: { Name: byExtId.Name, Id: byExtId.Id },
    childAccountId: child.AccountId,
    destroyed,
    gone: await failure(Account.retrieve(created.id)),
  };
}

async function errors(conn) {
  const Account = conn.sobject('Account');
  await Account.create({ Name: 'Dup 1', Ext_Id__c: 'JS-DUP' });
  return {
    required: await failure(Account.create({ Phone: '1' })),
    duplicate: await failure(Account.create({ Name: 'Dup 2', Ext_Id__c: 'js-dup' })),
    notFound: await failure(Account.retrieve('001000000000000AAA')),
    unknownObject: await failure(conn.sobject('Nope__c').describe()),
    badQuery: await failure(conn.query('SELECT Nope__c FROM Account')),
    malformedQuery: await failure(conn.query('SELEC Id FROM Account')),
    expiredSession: await failure(
      new jsforce.Connection({
        instanceUrl: info.instance_url,
        accessToken: 'not-a-token',
        version,
      }).query('SELECT Id FROM Account'),
    ),
  };
}

async function queries(conn) {
  const records = [];
  for (let i = 0; i < 450; i += 1) {
    records.push({ Name: `JS Page ${String(i).padStart(3, '0')}` });
  }
  const batches = [];
  for (let i = 0; i < records.length; i += 200) {
    batches.push(await conn.sobject('Account').create(records.slice(i, i + 200)));
  }
  let pages = 0;
  const result = await conn
    .query("SELECT Id, Name FROM Account WHERE Name LIKE 'JS Page %' ORDER BY Name")
    .on('fetch', () => {
      pages += 1;
    })
    .run({
      autoFetch: true,
      maxFetch: 10000,
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
  return {
    collectionCreates: batches.map((batch) => batch.filter((r) => r.success).length),
    pages,
    totalSize: result.totalSize,
    fetched: result.records.length,
    first: result.records[0].Name,
    last: result.records[result.records.length - 1].Name,
  };
}

async function describes(conn) {
  const global = await conn.describeGlobal();
  const contract = await conn.sobject('Contract').describe();
  const status = contract.fields.find((f) => f.name === 'Status');
  const limits = await conn.limits();
  return {
    hasAccount: global.sobjects.some((s) => s.name === 'Account'),
    contractPrefix: contract.keyPrefix,
    statusType: status.type,
    statusValues: status.picklistValues.map((v) => v.value).sort(),
    dailyApiMax: limits.DailyApiRequests.Max,
    limitInfo: conn.limitInfo,
  };
}

async function collections(conn) {
  const Account = conn.sobject('Account');
  const created = await Account.create(
    [{ Name: 'JS Col 1' }, { Name: 'JS Col 2' }, { Phone: 'no name' }],
    { allOrNone: false },
  );
  const ids = created.filter((r) => r.success).map((r) => r.id);
  const updated = await Account.update(ids.map((Id) => ({ Id, Phone: '42' })));
  const upserted = await Account.upsert(
    [
      { Ext_Id__c: 'JS-COL-1', Name: 'JS Col U1' },
      { Ext_Id__c: 'JS-2', Name: 'JS Upserted 3' },
    ],
    'Ext_Id__c',
  );
  const retrieved = await Account.retrieve(ids, { fields: ['Name', 'Phone'] });
  const destroyed = await Account.destroy(ids);
  const rolledBack = await Account.create([{ Name: 'JS Rolled' }, { Phone: 'x' }], {
    allOrNone: true,
  });
  return {
    created: created.map((r) => ({ success: r.success, errors: r.errors })),
    updated: updated.map((r) => r.success),
    upserted: upserted.map((r) => ({ success: r.success, created: r.created })),
    retrieved: retrieved.map((r) => r.Phone),
    destroyed: destroyed.map((r) => r.success),
    rolledBack: rolledBack.map((r) => r.errors.map((e) => e.statusCode)),
    rolledBackCount: (await conn.query("SELECT Id FROM Account WHERE Name = 'JS Rolled'"))
      .totalSize,
  };
}

async function composite(conn) {
  const base = `/services/data/v${version}`;
  const answer = await conn.requestPost(`${base}/composite`, {
    allOrNone: true,
    compositeRequest: [
      {
        method: 'POST',
        url: `${base}/sobjects/Account`,
        referenceId: 'acc',
        body: { Name: 'JS Composite' },
      },
      {
        method: 'GET',
        url: `${base}/sobjects/Account/@{acc.id}?fields=Name`,
        referenceId: 'get',
      },
    ],
  });
  return answer.compositeResponse.map((r) => r.httpStatusCode);
}

async function bulk(conn) {
  conn.bulk2.pollInterval = 50;
  conn.bulk2.pollTimeout = 30000;
  const lines = ['Name,Ext_Id__c'];
  for (let i = 0; i < 120; i += 1) {
    lines.push(`JS Bulk ${i},JS-B-${i}`);
  }
  lines.push(',JS-B-no-name');
  const inserted = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'insert',
    input: `${lines.join('\n')}\n`,
  });
  const upserted = await conn.bulk2.loadAndWaitForResults({
    object: 'Account',
    operation: 'upsert',
    externalIdFieldName: 'Ext_Id__c',
    input: 'Ext_Id__c,Name\nJS-B-0,JS Bulk 0 again\nJS-B-NEW,JS Bulk new\n',
  });
  const stream = await conn.bulk2.query("SELECT Id, Name FROM Account WHERE Name LIKE 'JS Bulk %'");
  const queried = await new Promise((resolve, reject) => {
    const rows = [];
    stream.on('record', (row) => rows.push(row));
    stream.on('error', reject);
    stream.on('end', () => resolve(rows.length));
  });
  return {
    inserted: {
      successful: inserted.successfulResults.length,
      failed: inserted.failedResults.map((r) => r.sf__Error),
      unprocessed: inserted.unprocessedRecords.length,
      createdFlag: inserted.successfulResults[0].sf__Created,
    },
    upserted: upserted.successfulResults.map((r) => r.sf__Created).sort(),
    upsertFailed: upserted.failedResults.length,
    queried,
  };
}

async function main() {
  const seen = { logins: await logins() };
  const conn = new jsforce.Connection({
    instanceUrl: info.instance_url,
    accessToken: info.access_token,
    version,
  });
  seen.identity = await conn
    .identity()
    .then((id) => ({ userId: id.user_id, orgId: id.organization_id }));
  seen.crud = await crud(conn);
  seen.errors = await errors(conn);
  seen.queries = await queries(conn);
  seen.describes = await describes(conn);
  seen.collections = await collections(conn);
  seen.composite = await composite(conn);
  seen.bulk = await bulk(conn);
  process.stdout.write(`${JSON.stringify(seen)}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err && err.stack ? err.stack : err}\n`);
  process.exit(1);
});
