import type { CreateFormBody } from '../forms/index.ts';

/**
 * The demo's contact form (issue 5): published, de/en/fr, first/last name, email, phone and a
 * message (kept with the submission only), coded with tags, an automatic reply in the contact's
 * language and a notice to the demo admin. Issue 6: it offers the demo newsletter (double opt-in)
 * and asks the email-promotions question — optional: an enquiry never depends on a consent.
 */
export function demoForm(
  adminUserId: string,
  consent: { newsletterId: string; emailPromotionsQuestionId: string },
): CreateFormBody {
  return {
    name: 'Kontaktformular Website',
    status: 'published',
    definition: {
      languages: ['de', 'en', 'fr'],
      title: { de: 'Kontakt aufnehmen', en: 'Get in touch', fr: 'Nous contacter' },
      fields: [
        {
          name: 'first_name',
          target: 'contact.firstName',
          type: 'text',
          label: { de: 'Vorname', en: 'First name', fr: 'Prénom' },
          required: false,
        },
        {
          name: 'last_name',
          target: 'contact.lastName',
          type: 'text',
          label: { de: 'Nachname', en: 'Last name', fr: 'Nom' },
          required: true,
        },
        {
          name: 'email',
          target: 'contact.email',
          type: 'email',
          label: { de: 'E-Mail', en: 'Email', fr: 'E-mail' },
          required: true,
        },
        {
          name: 'phone',
          target: 'contact.phone',
          type: 'tel',
          label: { de: 'Telefon', en: 'Phone', fr: 'Téléphone' },
          required: false,
        },
        {
          name: 'message',
          target: 'none',
          type: 'textarea',
          label: { de: 'Ihre Nachricht', en: 'Your message', fr: 'Votre message' },
          required: true,
        },
      ],
      tags: ['Interessent', 'Website-Anfrage'],
      newsletterIds: [consent.newsletterId],
      consentQuestionIds: [consent.emailPromotionsQuestionId],
      requiredConsentQuestionIds: [],
      overwrite: ['contact.phone'],
      submitLabel: { de: 'Absenden', en: 'Send', fr: 'Envoyer' },
      successMessage: {
        de: 'Vielen Dank für Ihre Nachricht! Wir melden uns innerhalb eines Werktags.',
        en: 'Thank you for your message! We will get back to you within one working day.',
        fr: 'Merci pour votre message ! Nous vous répondrons sous un jour ouvré.',
      },
      redirectUrl: null,
      autoReply: {
        enabled: true,
        subject: {
          de: 'Ihre Anfrage ist bei uns eingegangen',
          en: 'We have received your enquiry',
          fr: 'Nous avons bien reçu votre demande',
        },
        body: {
          de: 'Guten Tag{% if contact.firstName %} {{ contact.firstName }}{% endif %}{% if contact.lastName %} {{ contact.lastName }}{% endif %},\n\nvielen Dank für Ihre Nachricht über „{{ form.name }}“. Wir melden uns innerhalb eines Werktags bei Ihnen.\n\nFreundliche Grüsse\nIhr Demo-Team',
          en: 'Hello{% if contact.firstName %} {{ contact.firstName }}{% endif %}{% if contact.lastName %} {{ contact.lastName }}{% endif %},\n\nthank you for your message through "{{ form.name }}". We will get back to you within one working day.\n\nKind regards\nThe demo team',
          fr: 'Bonjour{% if contact.firstName %} {{ contact.firstName }}{% endif %}{% if contact.lastName %} {{ contact.lastName }}{% endif %},\n\nmerci pour votre message via « {{ form.name }} ». Nous vous répondrons sous un jour ouvré.\n\nMeilleures salutations\nL’équipe démo',
        },
      },
      notifyUserIds: [adminUserId],
    },
  };
}
