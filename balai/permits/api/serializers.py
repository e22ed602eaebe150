"""What the permits API shows and accepts. Output serializers read plain dicts built by the views
(so what leaves the server is chosen field by field); input serializers only parse."""

from __future__ import annotations

from rest_framework import serializers

from balai.permits.services_office import FIFO_REASONS

# --- the public catalogue ----------------------------------------------------------------------------


class FieldChoiceSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()


class FormFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    type = serializers.CharField(help_text="text, integer, decimal, date, choice or boolean.")
    required = serializers.BooleanField()
    min = serializers.CharField(allow_null=True, help_text="Lower bound (number, or length for text), as a string.")
    max = serializers.CharField(allow_null=True, help_text="Upper bound (number, or length for text), as a string.")
    help = serializers.CharField(allow_blank=True)
    choices = FieldChoiceSerializer(many=True)


class DocumentRequirementSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kinds = serializers.ListField(child=serializers.CharField(), help_text="Accepted formats: pdf, jpeg, png.")
    mandatory = serializers.BooleanField()
    max_mb = serializers.IntegerField()


class PermitTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    unit = serializers.CharField(allow_null=True, help_text="The office that handles it.")
    sla_days = serializers.IntegerField(help_text="Service level: working days from submission to decision.")
    validity_months = serializers.IntegerField(allow_null=True, help_text="null: valid without a time limit.")
    renewable = serializers.BooleanField()
    needs_appointment = serializers.BooleanField()
    inspection = serializers.CharField(help_text="never, always or by_rule.")
    fee_model = serializers.CharField(help_text="none, fixed, per_unit, tiered or formula.")
    url = serializers.URLField()


class PermitTypeDetailSerializer(PermitTypeSerializer):
    version = serializers.IntegerField(help_text="The requirements' version that new applications pin.")
    form_fields = FormFieldSerializer(many=True)
    documents = DocumentRequirementSerializer(many=True)
    quote_url = serializers.URLField()


class QuoteRequestSerializer(serializers.Serializer):
    form_data = serializers.DictField(
        help_text="Answers by field code, as the applicant types them (strings or numbers); those the fee needs are enough."
    )


class FeeLineSerializer(serializers.Serializer):
    label = serializers.CharField()
    amount = serializers.IntegerField(help_text="Integer rupiah.")


class QuoteSerializer(serializers.Serializer):
    amount = serializers.IntegerField(help_text="Integer rupiah.")
    amount_display = serializers.CharField(help_text="Formatted, e.g. Rp 14.062.500.")
    lines = FeeLineSerializer(many=True)
    explanation = serializers.CharField()


# --- tracking ----------------------------------------------------------------------------------------


class TrackingStepSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    state = serializers.CharField()
    label = serializers.CharField(help_text="The state entered.")
    action_label = serializers.CharField()
    by = serializers.CharField(help_text="Pemohon, Sistem, or the office (never an officer's name).")
    paused = serializers.BooleanField(help_text="The SLA clock stood still after this step (file with the applicant).")
    sla_remaining_days = serializers.IntegerField(allow_null=True)


class OwnerTrackingStepSerializer(TrackingStepSerializer):
    note = serializers.CharField(allow_blank=True, help_text="The officer's note (the reason of a return or a rejection).")


class InspectionScheduleSerializer(serializers.Serializer):
    date = serializers.DateField()
    start = serializers.CharField(allow_blank=True, help_text="HH:MM, or empty.")
    end = serializers.CharField(allow_blank=True, help_text="HH:MM, or empty.")


class TrackingSerializer(serializers.Serializer):
    registration_number = serializers.CharField()
    permit_type = serializers.CharField()
    applicant_name = serializers.CharField(help_text="Masked (e.g. Ci*** De**).")
    state = serializers.CharField()
    state_label = serializers.CharField()
    is_paused = serializers.BooleanField(help_text="The SLA clock stands still: the file is with the applicant.")
    is_closed = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    sla_days = serializers.IntegerField(allow_null=True)
    sla_remaining_days = serializers.IntegerField(allow_null=True, help_text="Working days left (negative: late).")
    sla_colour = serializers.CharField(help_text="green, yellow, red, or grey (paused or stopped).")
    due_date = serializers.DateField(allow_null=True)
    elapsed_days = serializers.IntegerField()
    paused_days = serializers.IntegerField()
    valid_until = serializers.DateField(allow_null=True)
    verification_url = serializers.URLField(allow_null=True, help_text="The /verify/ page of the issued permit.")
    inspection_scheduled = InspectionScheduleSerializer(
        allow_null=True, help_text="The field visit's date while the file waits for it (no officer named)."
    )
    steps = TrackingStepSerializer(many=True)


class OwnerTrackingSerializer(TrackingSerializer):
    steps = OwnerTrackingStepSerializer(many=True)


# --- the applicant's applications --------------------------------------------------------------------


class PermitTypeRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ApplicationSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    registration_number = serializers.CharField(allow_blank=True, help_text="Empty while a draft.")
    permit_type = PermitTypeRefSerializer()
    state = serializers.CharField()
    state_label = serializers.CharField()
    channel = serializers.CharField(help_text="online or counter.")
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    url = serializers.URLField()


class UploadedDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    requirement_code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    uploaded_at = serializers.DateTimeField()


class CorrectionItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="field or document.")
    code = serializers.CharField()
    label = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


class CorrectionSerializer(serializers.Serializer):
    note = serializers.CharField()
    items = CorrectionItemSerializer(many=True)
    created_at = serializers.DateTimeField()


class BillSerializer(serializers.Serializer):
    billing_code = serializers.CharField()
    amount = serializers.IntegerField(help_text="Integer rupiah.")
    status = serializers.CharField(help_text="unpaid, paid, expired or cancelled.")
    description = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    gateway = serializers.CharField()


class PaymentSerializer(BillSerializer):
    payment_url = serializers.URLField(help_text="Where the payer pays (the gateway's page).")
    instructions = serializers.CharField()


class PermitSerializer(serializers.Serializer):
    number = serializers.CharField()
    verification_code = serializers.CharField()
    verification_url = serializers.URLField()
    status = serializers.CharField(help_text="valid or revoked.")
    valid_from = serializers.DateField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    download_url = serializers.URLField()


class ReceiptSerializer(serializers.Serializer):
    number = serializers.CharField()
    verification_code = serializers.CharField()
    verification_url = serializers.URLField(help_text="The /verify/ page of the receipt.")
    download_url = serializers.URLField(
        help_text="The signed PDF (for the applicant, the business's current representatives and the office)."
    )


class ApplicationSerializer(ApplicationSummarySerializer):
    applicant_name = serializers.CharField(help_text="Who applied (the applicant's name on the file).")
    read_only = serializers.BooleanField(
        help_text=(
            "True when you follow this file as a current representative of its business and someone else "
            "applied: you read it, its timeline, permit and receipt; only the applicant changes, submits, "
            "pays, withdraws or complains about it (those endpoints answer 404 to you)."
        )
    )
    form_data = serializers.DictField(help_text="The answers by field code (cleaned).")
    business_name = serializers.CharField(allow_blank=True)
    business_nib = serializers.CharField(allow_blank=True)
    business_npwp = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(help_text="The requirements' version this application pinned.")
    form_fields = FormFieldSerializer(many=True)
    required_documents = DocumentRequirementSerializer(many=True)
    documents = UploadedDocumentSerializer(many=True, help_text="The current file of each requirement.")
    missing = serializers.DictField(
        child=serializers.CharField(),
        help_text="What must still be given before submitting: field codes and document:<code>, with what to do.",
    )
    editable = serializers.BooleanField(help_text="Answers may change (a draft, or what the officer asked to fix).")
    correction = CorrectionSerializer(allow_null=True, help_text="What to fix while the file is returned.")
    fee_amount = serializers.IntegerField(allow_null=True, help_text="Integer rupiah, once computed.")
    bill = BillSerializer(allow_null=True)
    permit = PermitSerializer(allow_null=True)
    receipt = ReceiptSerializer(allow_null=True, help_text="The signed receipt of the paid retribution, once paid.")


class ApplicationCreateSerializer(serializers.Serializer):
    permit_type = serializers.CharField(help_text="The permit type's code, from the catalogue.")
    form_data = serializers.DictField(required=False, default=dict, help_text="Answers by field code; more may come later.")
    business_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    business_nib = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    business_npwp = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)


class ApplicationUpdateSerializer(serializers.Serializer):
    form_data = serializers.DictField(required=False, default=dict, help_text="The answers to change; others stay.")
    business_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    business_nib = serializers.CharField(required=False, allow_blank=True, max_length=20)
    business_npwp = serializers.CharField(required=False, allow_blank=True, max_length=30)


class DocumentUploadSerializer(serializers.Serializer):
    requirement_code = serializers.CharField(help_text="The documentary requirement's code.")
    file = serializers.FileField(help_text="PDF, JPEG or PNG as the requirement allows; its content is checked.")


class SubmittedSerializer(serializers.Serializer):
    registration_number = serializers.CharField()
    application = ApplicationSerializer()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


# --- the back office ---------------------------------------------------------------------------------


class InboxRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The application's id (for the actions).")
    registration_number = serializers.CharField()
    permit_type = PermitTypeRefSerializer()
    applicant_name = serializers.CharField()
    channel = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    state_entered_at = serializers.DateTimeField()
    due_date = serializers.DateField(allow_null=True)
    assignee = serializers.CharField(allow_null=True, help_text="null: not assigned yet.")
    workflow_version = serializers.IntegerField(help_text="Send as expected_version to refuse acting on a stale view.")
    actions = serializers.ListField(child=serializers.CharField(), help_text="API actions you may try on it now.")


class ActionSerializer(serializers.Serializer):
    """The inputs of an officer's action; which ones an action reads is in its description."""

    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    reason_code = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=60,
        help_text=(
            "Needed to take a later file of the same queue first (first in, first out); one of: "
            + ", ".join(code for code, _label in FIFO_REASONS) + "."
        ),
    )
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The workflow version you saw (inbox row)."
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000,
                                   help_text="reject, revoke: the reason the applicant reads.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000,
                                 help_text="return: the note for the applicant.")
    items = serializers.ListField(
        child=serializers.DictField(), required=False, default=list,
        help_text='return: what to fix, [{"kind": "field"|"document", "code": "...", "note": "..."}].',
    )
    report = serializers.CharField(required=False, allow_blank=True, default="", max_length=8000,
                                   help_text="inspect: the field inspection's report.")
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                   help_text="inspect: photos (multipart, JPEG/PNG).")
    recommendation = serializers.CharField(required=False, allow_blank=True, default="", max_length=8000,
                                           help_text="recommend: the technical recommendation.")


class ActionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    registration_number = serializers.CharField()
    action = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    workflow_version = serializers.IntegerField(allow_null=True)
