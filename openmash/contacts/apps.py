from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "openmash.contacts"
    label = "contacts"

    def ready(self) -> None:
        # The apps below contacts ask through these registries instead of importing it.
        from openmash.hubs.usage import level_of_need_recorded_on
        from openmash.people.casework import mention_lookup_register

        from .models import Contact, ContactPerson

        level_of_need_recorded_on(Contact, hub_path="hub")
        mention_lookup_register(
            lambda mention_id: ContactPerson.objects.filter(pk=mention_id).first()
        )
