// The selections module's public face: the filter builder pages under `/contacts/selections`
// and the saved-selection picker of the contact list.
export { SelectionPicker } from './components/SelectionPicker.tsx';
export { SelectionsPage } from './components/SelectionsPage.tsx';
