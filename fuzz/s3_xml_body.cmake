# S3's XML request bodies (Tagging, CORSConfiguration, Delete, CompleteMultipartUpload,
# CreateBucketConfiguration, AccessControlPolicy, OwnershipControls,
# ServerSideEncryptionConfiguration) come from any signed-in client.
kura_fuzz_target(s3_xml_body LIBS kura_s3)
