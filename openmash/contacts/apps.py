from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "openmash.contacts"
    label = "contacts"

    def ready(self) -> None:
        # The apps below contacts ask through these registries instead of importing it.
        from openmash.hubs.usage import level_of_need_recorded_on
        from openmash.people.casework import contact_gate_register, mention_lookup_register

        from .models import Contact, ContactPerson
        from .scopes import contact_get_for_user

        level_of_need_recorded_on(Contact, hub_path="hub")
        mention_lookup_register(
            lambda mention_id: ContactPerson.objects.filter(pk=mention_id).first()
        )
        contact_gate_register(contact_get_for_user)
