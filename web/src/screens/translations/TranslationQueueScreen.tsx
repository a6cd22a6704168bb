import { PageHeader } from '../../components/PageHeader.js';

export function TranslationQueueScreen() {
  return <PageHeader title="TranslationQueueScreen" helpNs="translations" />;
}
