from production.demo import PROJECT_NAME, seed_demo
from production.management.operator import OperatorCommand


class Command(OperatorCommand):
    help = f"Load the demo production “{PROJECT_NAME}”; running it again adds nothing."

    def handle(self, *args, **options):
        counts = seed_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo production “{PROJECT_NAME}” is ready:"))
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
